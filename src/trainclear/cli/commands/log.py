"""``trainclear log``: the transparency log — head, proofs, export, offline verify, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit_dict
from trainclear.ledger.sth import key_id, load_public_key, public_key_bytes
from trainclear.ledger.verify import LogVerificationError, read_head, verify_export
from trainclear.services import log
from trainclear.services.log_keys import signing_key

app = typer.Typer(no_args_is_help=True)


@app.command("head")
def head(ctx: typer.Context) -> None:
    """Print the signed tree head of the log now."""
    emit_dict(ctx, log.current_head(state(ctx).open()).to_dict())


@app.command("key")
def key(ctx: typer.Context) -> None:
    """Print the public key tree heads are signed with (hex, 32 bytes)."""
    public = signing_key(state(ctx).open().settings).public_key()
    emit_dict(ctx, {"key_id": key_id(public), "public_key": public_key_bytes(public).hex()})


@app.command("proof")
def proof(
    ctx: typer.Context,
    seq: Annotated[int, typer.Argument(help="The entry to prove.")],
    tree_size: Annotated[int | None, typer.Option(help="Default: the current head's.")] = None,
) -> None:
    """Print the inclusion proof of entry SEQ (hashes in hex)."""
    p = state(ctx).open()
    size = tree_size or log.current_head(p).head.tree_size
    hashes = log.inclusion_proof(p, seq=seq, tree_size=size)
    emit_dict(ctx, {"seq": seq, "tree_size": size, "proof": [h.hex() for h in hashes]})


@app.command("export")
def export(ctx: typer.Context, folder: Path) -> None:
    """Write entries.jsonl, head.json and key.pub into FOLDER for offline verification."""
    head = log.export_log(state(ctx).open(), folder)
    emit_dict(ctx, {"folder": str(folder), **head.to_dict()})


@app.command("verify")
def verify(
    ctx: typer.Context,
    folder: Path,
    head_file: Annotated[
        Path | None, typer.Option("--head", help="A head you hold (default: the export's).")
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key", help="The public key you trust (hex or PEM).")
    ] = None,
) -> None:
    """Verify an exported log offline against a signed tree head; exit 1 on any problem."""
    raw = (key_file or folder / "key.pub").read_bytes().strip()
    public = load_public_key(bytes.fromhex(raw.decode()) if len(raw) == 64 else raw)
    held = read_head(head_file) if head_file else None
    try:
        done = verify_export(folder, public, held)
    except LogVerificationError as exc:
        emit_dict(ctx, {"ok": False, "problems": exc.problems})
        raise typer.Exit(1) from None
    emit_dict(ctx, {"ok": True, "tree_size": done.tree_size, "root_hash": done.root_hash.hex()})


@app.command("audit")
def audit(ctx: typer.Context) -> None:
    """Check the stored log against the database's events (operators); exit 1 on problems."""
    problems = log.audit_log(state(ctx).open())
    emit_dict(ctx, {"ok": not problems, "problems": problems})
    if problems:
        raise typer.Exit(1)
