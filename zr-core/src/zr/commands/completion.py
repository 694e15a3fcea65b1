"""``zr completion bash|zsh|fish``."""

import click


@click.command("completion", help="Print the shell completion script. Install it with e.g. "
               "`zr completion bash > ~/.local/share/bash-completion/completions/zr` or "
               "`eval \"$(zr completion zsh)\"` in ~/.zshrc.")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def command(ctx, shell):
    from click.shell_completion import get_completion_class

    root = ctx.find_root()
    completer = get_completion_class(shell)(root.command, {}, "zr", "_ZR_COMPLETE")
    click.echo(completer.source())
    return 0
