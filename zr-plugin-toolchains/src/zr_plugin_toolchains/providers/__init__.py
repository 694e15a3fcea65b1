"""The eight toolchains zr knows out of the box, registered through the
same ``zr_toolchains`` hook a third-party plugin uses."""

from __future__ import annotations


def builtin_toolchains() -> list:
    from .bun import Bun
    from .deno import Deno
    from .go import Go
    from .java import Java
    from .node import Node
    from .python import Python
    from .rust import Rust
    from .zig import Zig

    return [Node(), Python(), Zig(), Go(), Rust(), Deno(), Bun(), Java()]
