#!/usr/bin/env python3
"""Generate a large Claude.ai data export for speed and memory measurements.

This generator is independent of examples/generate_export.rs: it is written from the
export's format, not from that program, and makes a different mix. Its conversations are
long (dozens to hundreds of turns) and hold many small artifacts. Their content includes:

  - `artifacts` tool calls: create, update with old_str/new_str, rewrite, updates that
    the tool rejected (is_error), and updates whose old_str is missing;
  - files mode: create_file and str_replace under /mnt/user-data/outputs/;
  - 2024 inline <antArtifact> tags, with <antThinking> before them;
  - edited prompts and regenerated answers that leave abandoned branches;
  - old-style messages that have only `text`, and conversations without parent uuids;
  - thinking blocks, attachments with extracted_content, unknown block types;
  - titles and names in Cyrillic, Greek, CJK and emoji, with '/', ':' and newlines.

The output is written as a stream, one conversation at a time, so memory stays at a few
MB whatever the size. The same options give the same bytes with the same Python and zlib.

Forms (--form):
  zip       the single-archive export: conversations.json, users.json, projects.json and
            memories.json in one zip (the default)
  json      a bare conversations.json
  manifest  the 2026 form: a folder with manifest-<id>.json, conversations-NNN.zip parts
            and a users archive

Only the standard library is used. Example, about 1 GiB of conversations.json in a zip:

  python3 scripts/generate_export.py --size-mb 1024 --out /tmp/py1g.zip
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterator

# The parent uuid of the first message of a conversation.
ROOT_PARENT = "00000000-0000-4000-8000-000000000000"
# The placeholder that exports put in a message's `text` for each block that is not text.
PLACEHOLDER = "```\nThis block is not supported on your current device yet.\n```"
OUTPUTS = "/mnt/user-data/outputs/"
# Seconds since the epoch of 2024-03-01T00:00:00Z, the earliest conversation.
EPOCH_START = 1_709_251_200

WORDS = (
    "the artifact parser stream branch version update request answer export folder "
    "manifest checksum render layout widget budget quarter revenue forecast sample "
    "pipeline latency throughput memory buffer channel worker thread queue schema "
    "migration index query table column report summary draft outline chapter section "
    "paragraph figure caption reference citation argument evidence result method "
    "данные отчёт версия ветка файл папка модель таблица запрос ответ "
    "データ 報告 版本 分支 文件 模型 表格 请求 回答 "
    "δεδομένα αναφορά έκδοση κλάδος αρχείο μοντέλο "
    "café naïve façade résumé jalapeño Zürich Ørsted"
).split()

TITLE_STEMS = [
    "Quarterly report",
    "Отчёт о продажах",
    "売上レポート",
    "数据管道",
    "Ανάλυση δεδομένων",
    "🚀 Launch plan",
    "Budget: Q3/Q4",
    "Notes\non the meeting",
    "config/settings",
    "CON",
    "données_brutes",
    "README",
    "Test suite ✅",
    "Диаграмма классов",
    "グラフ描画",
    "Landing page",
    "Schema v2: users/orders",
    "Résumé",
    "A" * 90,
    "   spaced   out   ",
]

CONVERSATION_NAMES = TITLE_STEMS + [
    "",
    "Help with Rust lifetimes",
    "Помощь с SQL",
    "旅行の計画",
    "周报整理",
    "Συνταγή για μουσακά",
    "Debugging 🐛 session",
    "line one\nline two",
    "a/b\\c:d*e?f\"g<h>i|j",
]

# The (type, language) pairs of inline tags and `artifacts` tool calls.
KINDS = [
    ("application/vnd.ant.code", "python"),
    ("application/vnd.ant.code", "rust"),
    ("application/vnd.ant.code", "typescript"),
    ("application/vnd.ant.code", "sql"),
    ("application/vnd.ant.code", None),
    ("text/markdown", None),
    ("text/html", None),
    ("image/svg+xml", None),
    ("application/vnd.ant.mermaid", None),
    ("application/vnd.ant.react", None),
]

FILE_NAMES = [
    "report.md",
    "analysis.py",
    "data/cleaned.csv",
    "src/main.rs",
    "site/index.html",
    "notes/会议记录.md",
    "Отчёт.txt",
    "chart.svg",
    "scripts/deploy.sh",
    "docs/design notes.md",
]

UNKNOWN_BLOCKS = ["token_budget", "voice_note", "flag", "injected_prompt_block"]


class Generator:
    """Builds conversations from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # Paragraphs are drawn from a pool, so building text costs little; the pool is large
        # enough that deflate cannot compress the output to almost nothing.
        self.paragraphs = [self._paragraph() for _ in range(1500)]
        self.counter = 0

    def _paragraph(self) -> str:
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(2, 7)):
            words = rng.choices(WORDS, k=rng.randint(6, 22))
            words[0] = words[0].capitalize()
            sentences.append(" ".join(words) + rng.choice([".", ".", "?", "!", ":"]))
        return " ".join(sentences)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tool_use_id(self) -> str:
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789"
        return "toolu_01" + "".join(self.rng.choices(letters, k=22))

    def prose(self, approximate_bytes: int) -> str:
        parts = []
        size = 0
        while size < approximate_bytes:
            paragraph = self.rng.choice(self.paragraphs)
            parts.append(paragraph)
            size += len(paragraph) + 2
        return "\n\n".join(parts)

    def unique_line(self, prefix: str) -> str:
        """Return a line that occurs nowhere else in the export, so an update finds it once."""
        self.counter += 1
        words = " ".join(self.rng.choices(WORDS, k=self.rng.randint(3, 9)))
        return f"{prefix} L{self.counter:08d} {words}"

    def artifact_body(self, kind: str | None, language: str | None) -> str:
        """Return a small artifact body of about 200 bytes to 6 KB."""
        lines = self.rng.randint(4, 80)
        if language == "python":
            body = [f"# {self.unique_line('step')}" for _ in range(lines)]
            return "def main():\n" + "\n".join(f"    {line}" for line in body) + "\n"
        if language in ("rust", "typescript", None) and kind == "application/vnd.ant.code":
            return "\n".join(f"// {self.unique_line('fn')}" for _ in range(lines)) + "\n"
        if language == "sql":
            return "\n".join(f"-- {self.unique_line('select')}" for _ in range(lines)) + "\n"
        if kind == "text/html":
            items = "\n".join(f"  <p>{self.unique_line('para')}</p>" for _ in range(lines))
            return f"<!DOCTYPE html>\n<html>\n<body>\n{items}\n</body>\n</html>\n"
        if kind == "image/svg+xml":
            items = "\n".join(
                f'  <text x="{i}" y="{i * 2}">{self.unique_line("label")}</text>'
                for i in range(lines)
            )
            return f'<svg xmlns="http://www.w3.org/2000/svg">\n{items}\n</svg>\n'
        if kind == "application/vnd.ant.mermaid":
            edges = "\n".join(
                f"  A{i} --> B{i} %% {self.unique_line('edge')}" for i in range(lines)
            )
            return f"graph TD\n{edges}\n"
        if kind == "application/vnd.ant.react":
            items = "\n".join(f"      <li>{self.unique_line('item')}</li>" for _ in range(lines))
            return (
                "export default function App() {\n  return (\n    <ul>\n"
                f"{items}\n    </ul>\n  );\n}}\n"
            )
        return "\n".join(f"- {self.unique_line('point')}" for _ in range(lines)) + "\n"

    def title(self) -> str:
        stem = self.rng.choice(TITLE_STEMS)
        return stem if self.rng.random() < 0.5 else f"{stem} {self.rng.randint(1, 9)}"

    def timestamp(self, seconds: float) -> str:
        """Format a time in one of the forms that exports use."""
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
        date = moment.strftime("%Y-%m-%dT%H:%M:%S")
        form = self.rng.random()
        if form < 0.6:
            return f"{date}.{moment.microsecond:06d}Z"
        if form < 0.9:
            return f"{date}.{moment.microsecond:06d}+00:00"
        return f"{date}Z"


class Conversation:
    """One conversation under construction: its messages and the state of its artifacts."""

    def __init__(self, gen: Generator, start: float, old_style: bool) -> None:
        self.gen = gen
        self.clock = start
        # An older export: no parent uuids, so the array order is the conversation and there
        # are no branches, and messages often have only `text` with inline tags.
        self.old_style = old_style
        self.messages: list[dict] = []
        self.parent = ROOT_PARENT
        # Latest content of each artifact id and file path on the active branch.
        self.tool_artifacts: dict[str, str] = {}
        self.files: dict[str, str] = {}
        self.tag_ids: list[str] = []
        self.size = 0

    def tick(self) -> str:
        self.clock += self.gen.rng.uniform(2, 400)
        return self.gen.timestamp(self.clock)

    def message(self, sender: str, content: list[dict], parent: str, created: str) -> dict:
        texts = []
        for block in content:
            if block["type"] == "text":
                texts.append(block["text"])
            elif block["type"] in ("tool_use", "tool_result"):
                texts.append(PLACEHOLDER)
        message = {
            "uuid": self.gen.uuid(),
            "text": "\n\n".join(texts),
            "content": content,
            "sender": sender,
            "created_at": created,
            "updated_at": created,
            "attachments": [],
            "files": [],
        }
        if self.old_style:
            if self.gen.rng.random() < 0.5:
                message["content"] = []
            del message["attachments"], message["files"]
        else:
            message["parent_message_uuid"] = parent
        return message

    def add(self, message: dict, on_branch: bool = True) -> None:
        self.messages.append(message)
        # An estimate of the encoded size, good enough to spread the budget.
        self.size += sum(block_size(block) for block in message["content"])
        self.size += len(message["text"]) + 400
        if on_branch:
            self.parent = message["uuid"]

    def human_turn(self) -> None:
        gen = self.gen
        text = gen.prose(gen.rng.choice([80, 300, 1200, 6000]))
        message = self.message("human", [text_block(text)], self.parent, self.tick())
        if gen.rng.random() < 0.08:
            extracted = gen.prose(gen.rng.randint(2_000, 40_000))
            message["attachments"] = [
                {
                    "file_name": gen.rng.choice(["notes.txt", "данные.csv", "仕様.md"]),
                    "file_size": len(extracted.encode()),
                    "file_type": "text/plain",
                    "extracted_content": extracted,
                }
            ]
            self.size += len(extracted)
        if gen.rng.random() < 0.05:
            message["files"] = [{"file_name": "photo.png"}, None]
        if not self.old_style and gen.rng.random() < 0.04:
            # An edited prompt: the first wording stays as an abandoned branch with an answer.
            first_wording = [text_block(gen.prose(200))]
            abandoned = self.message("human", first_wording, self.parent, self.tick())
            self.add(abandoned, on_branch=False)
            reply = self.message(
                "assistant",
                [text_block(gen.prose(400)), *self.abandoned_call()],
                abandoned["uuid"],
                self.tick(),
            )
            self.add(reply, on_branch=False)
        self.add(message)

    def abandoned_call(self) -> list[dict]:
        """Return an artifact call for an abandoned branch, which must not count."""
        if not self.tool_artifacts:
            return []
        artifact_id = self.gen.rng.choice(sorted(self.tool_artifacts))
        return tool_pair(
            self.gen,
            "artifacts",
            {"id": artifact_id, "command": "rewrite", "content": "abandoned branch\n"},
        )

    def assistant_turn(self) -> None:
        gen = self.gen
        rng = gen.rng
        content: list[dict] = []
        if rng.random() < 0.3:
            content.append(
                {
                    "type": "thinking",
                    "thinking": gen.prose(rng.choice([200, 1500, 8000])),
                    "summaries": [{"summary": "Thinking about the request"}],
                    "cut_off": False,
                    "start_timestamp": self.gen.timestamp(self.clock),
                    "stop_timestamp": self.gen.timestamp(self.clock + 1),
                }
            )
        content.append(text_block(gen.prose(rng.choice([150, 600, 2500, 9000]))))
        roll = rng.random()
        if self.old_style:
            if roll < 0.4:
                content.append(text_block(self.inline_tag()))
        elif roll < 0.22:
            content.extend(self.tool_create())
        elif roll < 0.40:
            content.extend(self.tool_update())
        elif roll < 0.45:
            content.extend(self.tool_rewrite())
        elif roll < 0.56:
            content.extend(self.file_create())
        elif roll < 0.64:
            content.extend(self.file_replace())
        elif roll < 0.72:
            content.append(text_block(self.inline_tag()))
        if rng.random() < 0.03:
            content.append({"type": rng.choice(UNKNOWN_BLOCKS), "data": {"value": rng.random()}})
        content.append(text_block(gen.prose(rng.choice([60, 300]))))

        if not self.old_style and rng.random() < 0.06:
            # A regenerated reply: the earlier one becomes an abandoned leaf.
            earlier = self.message(
                "assistant",
                [text_block(gen.prose(500)), *self.abandoned_call()],
                self.parent,
                self.tick(),
            )
            self.add(earlier, on_branch=False)
        self.add(self.message("assistant", content, self.parent, self.tick()))

    def tool_create(self) -> list[dict]:
        gen = self.gen
        kind, language = gen.rng.choice(KINDS)
        stem = gen.rng.choice(["chart", "report", "script", "page", "схема", "notes"])
        artifact_id = f"{stem}-{len(self.tool_artifacts)}"
        body = gen.artifact_body(kind, language)
        self.tool_artifacts[artifact_id] = body
        call = {
            "id": artifact_id,
            "command": "create",
            "type": kind,
            "title": gen.title(),
            "content": body,
            "version_uuid": gen.uuid(),
        }
        if language is not None:
            call["language"] = language
        return tool_pair(gen, "artifacts", call)

    def tool_update(self) -> list[dict]:
        gen = self.gen
        if not self.tool_artifacts:
            return self.tool_create()
        artifact_id = gen.rng.choice(sorted(self.tool_artifacts))
        current = self.tool_artifacts[artifact_id]
        roll = gen.rng.random()
        if roll < 0.05:
            # The tool rejected the call, so the version did not happen.
            call = {"id": artifact_id, "command": "update", "old_str": "no such text"}
            call["new_str"] = "x"
            return tool_pair(gen, "artifacts", call, error=True)
        if roll < 0.08:
            # Accepted by the tool but not applicable: artifactor keeps the previous version.
            call = {"id": artifact_id, "command": "update", "old_str": "missing line"}
            call["new_str"] = ""
            return tool_pair(gen, "artifacts", call)
        candidates = unique_lines(current)
        if not candidates:
            return self.tool_rewrite()
        old = gen.rng.choice(candidates)
        new = "" if gen.rng.random() < 0.1 else gen.unique_line("changed") + "\n"
        self.tool_artifacts[artifact_id] = current.replace(old, new, 1)
        call = {
            "id": artifact_id,
            "command": "update",
            "old_str": old,
            "new_str": new,
            "version_uuid": gen.uuid(),
        }
        return tool_pair(gen, "artifacts", call)

    def tool_rewrite(self) -> list[dict]:
        gen = self.gen
        if not self.tool_artifacts:
            return self.tool_create()
        artifact_id = gen.rng.choice(sorted(self.tool_artifacts))
        kind, language = gen.rng.choice(KINDS)
        body = gen.artifact_body(kind, language)
        self.tool_artifacts[artifact_id] = body
        call = {"id": artifact_id, "command": "rewrite", "title": gen.title(), "content": body}
        return tool_pair(gen, "artifacts", call)

    def file_create(self) -> list[dict]:
        gen = self.gen
        path = OUTPUTS + gen.rng.choice(FILE_NAMES)
        body = gen.artifact_body(None, None)
        self.files[path] = body
        call = {"path": path, "file_text": body, "description": "Creating the file"}
        return tool_pair(gen, "create_file", call)

    def file_replace(self) -> list[dict]:
        gen = self.gen
        if not self.files:
            return self.file_create()
        path = gen.rng.choice(sorted(self.files))
        current = self.files[path]
        candidates = unique_lines(current)
        if not candidates:
            return self.file_create()
        old = gen.rng.choice(candidates)
        new = gen.unique_line("edited") + "\n"
        self.files[path] = current.replace(old, new, 1)
        call = {"path": path, "old_str": old, "new_str": new}
        return tool_pair(gen, "str_replace", call)

    def inline_tag(self) -> str:
        gen = self.gen
        kind, language = gen.rng.choice(KINDS)
        if self.tag_ids and gen.rng.random() < 0.3:
            # A later tag with the same identifier is a new full version.
            identifier = gen.rng.choice(self.tag_ids)
        else:
            identifier = f"tag-{len(self.tag_ids)}"
            self.tag_ids.append(identifier)
        attributes = [
            f'identifier="{identifier}"',
            f'type="{kind}"',
            f'title="{escape_attribute(gen.title())}"',
        ]
        if language is not None:
            attributes.append(f'language="{language}"')
        gen.rng.shuffle(attributes)
        body = gen.artifact_body(kind, language)
        return (
            "<antThinking>This is worth an artifact, since it is self-contained.</antThinking>\n\n"
            f"<antArtifact {' '.join(attributes)}>\n{body}</antArtifact>"
        )


def unique_lines(content: str) -> list[str]:
    """Return the lines made by `Generator.unique_line`, each with its newline."""
    return [line for line in content.splitlines(keepends=True) if " L" in line]


def block_size(block: dict) -> int:
    """Return about how many bytes a block adds to the JSON."""
    size = len(block.get("text", "")) + len(block.get("thinking", "")) + 100
    for value in (block.get("input") or {}).values():
        if isinstance(value, str):
            size += len(value)
    return size


def text_block(text: str) -> dict:
    return {"type": "text", "text": text, "citations": []}


def escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("\n", " ")


def tool_pair(gen: Generator, name: str, tool_input: dict, error: bool = False) -> list[dict]:
    """Return a tool_use block and its tool_result."""
    call_id = gen.tool_use_id()
    result_text = "Error: old_str was not found" if error else "OK"
    return [
        {
            "type": "tool_use",
            "id": call_id,
            "name": name,
            "input": tool_input,
            "message": "Working on it",
            "display_content": None,
        },
        {
            "type": "tool_result",
            "tool_use_id": call_id,
            "name": name,
            "content": [{"type": "text", "text": result_text, "uuid": gen.uuid()}],
            "is_error": error,
        },
    ]


def conversation(gen: Generator, index: int, budget: int, account: str) -> dict:
    rng = gen.rng
    start = EPOCH_START + index * 3_600 + rng.uniform(0, 3_000)
    # About one conversation in twelve comes from an older export.
    convo = Conversation(gen, start, old_style=rng.random() < 1 / 12)
    created = gen.timestamp(start)
    while convo.size < budget:
        convo.human_turn()
        convo.assistant_turn()
    name = rng.choice(CONVERSATION_NAMES)
    return {
        "uuid": gen.uuid(),
        "name": name,
        "summary": gen.prose(120) if rng.random() < 0.5 else "",
        "created_at": created,
        "updated_at": gen.timestamp(convo.clock),
        "account": {"uuid": account},
        "project_uuid": gen.uuid() if rng.random() < 0.2 else None,
        "chat_messages": convo.messages,
    }


def conversation_budget(gen: Generator) -> int:
    """Return the approximate size of the next conversation in bytes.

    Most conversations are long (0.3-4 MB), and a few are empty or short.
    """
    roll = gen.rng.random()
    if roll < 0.03:
        return 0
    if roll < 0.15:
        return gen.rng.randint(5_000, 100_000)
    return max(300_000, min(int(gen.rng.lognormvariate(13.8, 0.7)), 4_000_000))


def write_conversations(
    out: IO[bytes], gen: Generator, total: int, account: str
) -> tuple[int, int]:
    """Write a conversations.json array of at least `total` bytes.

    Returns the number of conversations and of bytes written. The last conversation may
    overshoot `total` by up to its own size.
    """
    written = 0
    count = 0
    out.write(b"[")
    while written < total:
        budget = min(conversation_budget(gen), total - written)
        if budget == 0:
            moment = gen.timestamp(EPOCH_START + count * 3_600)
            value = {
                "uuid": gen.uuid(),
                "name": "",
                "created_at": moment,
                "updated_at": moment,
                "account": {"uuid": account},
                "chat_messages": [],
            }
        else:
            value = conversation(gen, count, budget, account)
        data = json.dumps(value, ensure_ascii=False).encode()
        if count:
            out.write(b",\n")
            written += 2
        out.write(data)
        written += len(data)
        count += 1
    out.write(b"]\n")
    return count, written + 3


def other_files(gen: Generator, account: str) -> dict[str, bytes]:
    """Return the small files that sit beside conversations.json in an export."""
    users = [{"uuid": account, "full_name": "Ada Exämple", "email_address": "ada@example.invalid"}]
    projects = [{"uuid": gen.uuid(), "name": "Проект 1", "docs": []}]
    memories = [{"conversations_memory": "Prefers short answers.", "account_uuid": account}]
    return {
        "users.json": json.dumps(users, ensure_ascii=False).encode(),
        "projects.json": json.dumps(projects, ensure_ascii=False).encode(),
        "memories.json": json.dumps(memories, ensure_ascii=False).encode(),
    }


def write_archive(
    path: Path, gen: Generator, total: int, account: str, level: int
) -> tuple[int, int]:
    """Write a zip holding conversations.json; returns what `write_conversations` returns."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        # zipfile needs force_zip64 up front when an entry of unknown size may exceed 2 GiB.
        large = total > 1.5 * 2**30
        with archive.open("conversations.json", "w", force_zip64=large) as entry:
            return write_conversations(entry, gen, total, account)


def write_single_archive(
    path: Path, gen: Generator, total: int, account: str, level: int
) -> tuple[int, int]:
    """Write the single-archive export."""
    result = write_archive(path, gen, total, account, level)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in other_files(gen, account).items():
            archive.writestr(name, data)
    return result


def write_manifest_form(
    folder: Path, gen: Generator, total: int, account: str, level: int, parts: int
) -> tuple[int, int]:
    """Write the 2026 export: a manifest and the archives it lists."""
    folder.mkdir(parents=True, exist_ok=True)
    data_files = []
    count = written = 0
    for part in range(parts):
        name = f"conversations-{part:03d}.zip"
        part_count, part_written = write_archive(folder / name, gen, total // parts, account, level)
        count += part_count
        written += part_written
        data_files.append(data_file("conversations", name, part, part))

    name = "light_metadata-000.zip"
    with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", other_files(gen, account)["users.json"])
    data_files.append(data_file("light_metadata", name, parts, 0))

    manifest = {
        "created_at": "2026-02-01T00:00:00Z",
        "version": "1.0",
        "total_files": len(data_files),
        "data_files": data_files,
    }
    manifest_path = folder / f"manifest-{gen.uuid()}.json"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return count, written


def data_file(category: str, name: str, batch_index: int, part: int) -> dict:
    """Return one entry of a 2026 manifest's `data_files`."""
    return {
        "batch_index": batch_index,
        "category": category,
        "filename": name,
        "part": part,
        "export_url": f"https://example.invalid/export/{name}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the output: a .zip file, a .json file, or a folder for --form manifest",
    )
    parser.add_argument(
        "--size-mb",
        type=float,
        default=100,
        help="the minimum size of conversations.json in MiB (default 100)",
    )
    parser.add_argument(
        "--form",
        choices=["zip", "json", "manifest"],
        default="zip",
        help="the packaging of the export (default zip)",
    )
    parser.add_argument(
        "--parts",
        type=int,
        default=2,
        help="the number of conversations-NNN.zip archives for --form manifest (default 2)",
    )
    parser.add_argument(
        "--level",
        type=int,
        default=6,
        choices=range(0, 10),
        metavar="0-9",
        help="the deflate level of the archives (default 6, zlib's default)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="the seed of the random choices")
    args = parser.parse_args()
    if args.parts < 1:
        parser.error(f"--parts must be 1 or more, not {args.parts}")

    total = int(args.size_mb * 2**20)
    gen = Generator(args.seed)
    account = gen.uuid()
    if args.form == "json":
        with open(args.out, "wb") as out:
            count, written = write_conversations(out, gen, total, account)
    elif args.form == "zip":
        count, written = write_single_archive(args.out, gen, total, account, args.level)
    else:
        count, written = write_manifest_form(
            args.out, gen, total, account, args.level, args.parts
        )
    megabytes = written / 2**20
    summary = f"wrote {count} conversations ({megabytes:.1f} MiB of JSON) to {args.out}"
    print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
