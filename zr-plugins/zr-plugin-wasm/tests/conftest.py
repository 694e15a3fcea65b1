import os
import sys

# the WAT helpers beside the tests
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
