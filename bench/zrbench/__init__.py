"""zr's benchmark suite: the same scenarios run by zr and its peers, reported as ratios.

Each scenario is described once as data (:mod:`zrbench.projects`), rendered
into every runner's own file format (:mod:`zrbench.formats`), run by every
installed runner (:mod:`zrbench.tools`, :mod:`zrbench.measure`) and reported
as a table, JSON and a chart (:mod:`zrbench.report`).
"""
