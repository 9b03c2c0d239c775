#!/usr/bin/env python3
"""Write the sample Claude.ai export and the inputs of the integration tests.

Outputs, all rewritten on every run and byte-identical between runs with the same Python
and zlib:

  assets/sample-export.zip          a single-archive export: conversations.json,
                                    projects.json, users.json and memories.json
  assets/sample/conversations.json  the same conversations.json, unpacked for reading
  tests/fixtures/                   one input per case read by tests/*.rs

Every name, uuid, address and timestamp is made up. The layout follows the official export
as of 2024-2026. The script needs only the standard library and runs from any folder:

  python3 scripts/make_sample.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "assets"
FIXTURES = REPO / "tests" / "fixtures"

# The parent uuid of the first message of a conversation.
ROOT_PARENT = "00000000-0000-4000-8000-000000000000"

# The placeholder that exports put in a message's `text` for every block that is not text.
PLACEHOLDER = "```\nThis block is not supported on your current device yet.\n```"

# Modification time of every zip member, so that the archives do not depend on the clock.
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

ACCOUNT = {"uuid": "7d2e4f91-3b6a-4c8d-9e15-2a0f6b8c4d73"}


# ---------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------


def derived_id(*parts: str) -> str:
    """Return a stable, random-looking uuid for the given parts."""
    digest = bytearray(hashlib.sha256("/".join(parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x40
    digest[8] = (digest[8] & 0x3F) | 0x80
    hexed = digest.hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def tool_use_id(*parts: str) -> str:
    """Return a stable id in the `toolu_01...` form of the Anthropic API."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    letters = base64.b64encode(digest).decode().replace("+", "").replace("/", "")
    return "toolu_01" + letters[:22]


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def format_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def text(body: str) -> dict:
    return {"type": "text", "text": body, "citations": []}


def thinking(body: str, summary: str) -> dict:
    return {
        "type": "thinking",
        "thinking": body,
        "summaries": [{"summary": summary}],
        "cut_off": False,
    }


def tool_use(name: str, tool_input: dict, with_id: bool = True) -> dict:
    """Return a `tool_use` block. `Conversation.add` fills in its id unless `with_id` is false."""
    block = {
        "type": "tool_use",
        "name": name,
        "input": tool_input,
        "message": name,
        "integration_name": None,
        "integration_icon_url": None,
        "context": None,
        "display_content": None,
        "approval_options": None,
        "approval_key": None,
    }
    if with_id:
        block["id"] = None
    return block


def tool_result(name: str, output: str = "OK", is_error: bool = False) -> dict:
    """Return a `tool_result` block for the closest `tool_use` block before it."""
    return {
        "type": "tool_result",
        "tool_use_id": None,
        "name": name,
        "content": [{"type": "text", "text": output, "uuid": None}],
        "is_error": is_error,
        "message": None,
        "display_content": None,
    }


def artifact(command: str, artifact_id: str, **fields) -> dict:
    """Return a call of the `artifacts` tool. `fields` become `input` keys in the given order."""
    tool_input = {"id": artifact_id, "command": command}
    tool_input.update(fields)
    return tool_use("artifacts", tool_input)


def create(artifact_id, kind, title, content, language=None) -> dict:
    fields = {"type": kind, "title": title}
    if language is not None:
        fields["language"] = language
    fields["content"] = content
    return artifact("create", artifact_id, **fields)


def update(artifact_id, old_str, new_str) -> dict:
    return artifact("update", artifact_id, old_str=old_str, new_str=new_str)


def rewrite(artifact_id, kind, title, content, language=None) -> dict:
    fields = {"type": kind, "title": title}
    if language is not None:
        fields["language"] = language
    fields["content"] = content
    return artifact("rewrite", artifact_id, **fields)


def create_file(path: str, file_text: str, description: str) -> dict:
    return tool_use("create_file", {"description": description, "path": path, "file_text": file_text})


def str_replace(path: str, old_str: str, new_str: str | None, description: str) -> dict:
    tool_input = {"description": description, "path": path, "old_str": old_str}
    if new_str is not None:
        tool_input["new_str"] = new_str
    return tool_use("str_replace", tool_input)


def tag(identifier: str, kind: str, title: str, body: str, language: str | None = None) -> str:
    """Return an inline artifact tag as 2024 models wrote it, the body between two newlines."""
    attributes = f'identifier="{identifier}" type="{kind}"'
    if language is not None:
        attributes += f' language="{language}"'
    attributes += f' title="{title}"'
    return f"<antArtifact {attributes}>\n{body}\n</antArtifact>"


def flattened_text(blocks: list[dict]) -> str:
    """Return the `text` field that exports derive from the content blocks."""
    parts = []
    for block in blocks:
        if block["type"] == "text":
            parts.append(block["text"])
        elif block["type"] in ("tool_use", "tool_result"):
            parts.append(PLACEHOLDER)
    return "\n\n".join(parts)


class Conversation:
    """A conversation under construction. Messages get increasing timestamps."""

    def __init__(self, uuid: str, name: str, created_at: str, summary: str = "",
                 project_uuid: str | None = None):
        self.uuid = uuid
        self.name = name
        self.created_at = created_at
        self.summary = summary
        self.project_uuid = project_uuid
        self.clock = parse_time(created_at)
        self.messages: list[dict] = []

    def add(self, sender: str, blocks: list[dict], parent: str | None = None,
            seconds: int = 45, attachments: list | None = None, files: list | None = None) -> str:
        """Append a message and return its uuid. The parent defaults to the previous message."""
        if parent is None:
            parent = self.messages[-1]["uuid"] if self.messages else ROOT_PARENT
        self.clock += timedelta(seconds=seconds)
        stamp = format_time(self.clock)
        message_uuid = derived_id(self.uuid, "message", str(len(self.messages)))

        last_tool_use = None
        for position, block in enumerate(blocks):
            if block["type"] == "tool_use":
                if "id" in block:
                    block["id"] = tool_use_id(message_uuid, str(position))
                    last_tool_use = block["id"]
                else:
                    last_tool_use = None
            if block["type"] == "tool_result":
                if last_tool_use is None:
                    del block["tool_use_id"]
                else:
                    block["tool_use_id"] = last_tool_use
                for item in block["content"]:
                    item["uuid"] = derived_id(message_uuid, "result", str(position))

        # Exports list the timestamps first in every block.
        stamped = [{"start_timestamp": stamp, "stop_timestamp": stamp, **block}
                   for block in blocks]
        self.messages.append({
            "uuid": message_uuid,
            "text": flattened_text(blocks),
            "content": stamped,
            "sender": sender,
            "created_at": stamp,
            "updated_at": stamp,
            "attachments": attachments or [],
            "files": files or [],
            "parent_message_uuid": parent,
        })
        return message_uuid

    def human(self, body: str, **options) -> str:
        return self.add("human", [text(body)], **options)

    def assistant(self, blocks: list[dict], **options) -> str:
        return self.add("assistant", blocks, **options)

    def to_json(self) -> dict:
        updated = self.messages[-1]["updated_at"] if self.messages else self.created_at
        return {
            "uuid": self.uuid,
            "name": self.name,
            "summary": self.summary,
            "created_at": self.created_at,
            "updated_at": updated,
            "account": ACCOUNT,
            "project_uuid": self.project_uuid,
            "chat_messages": self.messages,
        }


def json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_json(path: Path, value) -> None:
    write_bytes(path, json_bytes(value))


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    """Write a zip whose bytes depend only on `members`: fixed times, modes and host system."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)


# ---------------------------------------------------------------------------------------
# Artifact contents of the sample export. Tests compare the written files with these.
# ---------------------------------------------------------------------------------------

CSV_CLEANER_V1 = '''import csv
import sys


def clean_row(row):
    return [cell.strip() for cell in row]


def main(path):
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            print(",".join(clean_row(row)))


if __name__ == "__main__":
    main(sys.argv[1])'''

CSV_CLEANER_V2 = '''import csv
import sys


def clean_row(row):
    return tuple(cell.strip() for cell in row)


def clean_file(source, target):
    seen = set()
    with open(source, newline="", encoding="utf-8") as infile, open(
        target, "w", newline="", encoding="utf-8"
    ) as outfile:
        writer = csv.writer(outfile)
        for row in csv.reader(infile):
            cleaned = clean_row(row)
            if cleaned in seen:
                continue
            seen.add(cleaned)
            writer.writerow(cleaned)
    return len(seen)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: csv_cleaner.py INPUT.csv OUTPUT.csv")
    kept = clean_file(sys.argv[1], sys.argv[2])
    print(f"wrote {kept} unique rows to {sys.argv[2]}")'''

CSV_USAGE_NOTES = '''# CSV Cleaner

Strips leading and trailing whitespace from every cell and drops rows that repeat an
earlier row.

## Usage

```bash
python csv_cleaner.py contacts.csv contacts-clean.csv
```

- The input must be UTF-8. In Excel, save as "CSV UTF-8 (Comma delimited)".
- The first copy of a row is kept and later copies are dropped.
- The header row is treated like any other row.'''

BAKERY_HTML = '''<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Crumb &amp; Co. Bakery</title>
  <style>
    body { font-family: Georgia, serif; margin: 0; color: #3b2a1a; background: #fdf8f1; }
    header { padding: 4rem 1.5rem; text-align: center; background: #f3e3cc; }
    main { max-width: 40rem; margin: 0 auto; padding: 2rem 1.5rem; }
    table { width: 100%; border-collapse: collapse; }
    td { padding: 0.4rem 0; border-bottom: 1px dotted #c9b08f; }
    td:last-child { text-align: right; }
  </style>
</head>
<body>
  <header>
    <h1>Crumb &amp; Co.</h1>
    <p>Sourdough, pastries and coffee on Mill Street</p>
  </header>
  <main>
    <h2>Opening hours</h2>
    <p>Tuesday to Saturday, 7:00 to 15:00. Closed Sunday and Monday.</p>
    <h2>Menu</h2>
    <table>
      <tr><td>Country sourdough</td><td>&euro;5.50</td></tr>
      <tr><td>Butter croissant</td><td>&euro;2.20</td></tr>
      <tr><td>Cardamom bun</td><td>&euro;3.00</td></tr>
      <tr><td>Filter coffee</td><td>&euro;2.50</td></tr>
    </table>
  </main>
</body>
</html>'''

DASHBOARD_V1 = '''import { useState } from "react";
import { BarChart, Bar, XAxis, YAxis, Tooltip } from "recharts";

const SALES = [
  { month: "Янв", total: 1200 },
  { month: "Фев", total: 1850 },
  { month: "Мар", total: 1630 },
];

export default function SalesDashboard() {
  const [currency, setCurrency] = useState("RUB");
  console.log("render", currency);

  return (
    <div className="p-6">
      <h1 className="text-2xl font-bold">Продажи за квартал</h1>
      <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
        <option value="RUB">₽</option>
        <option value="USD">$</option>
      </select>
      <BarChart width={480} height={240} data={SALES}>
        <XAxis dataKey="month" />
        <YAxis />
        <Tooltip />
        <Bar dataKey="total" fill="#4f46e5" />
      </BarChart>
    </div>
  );
}
'''

DASHBOARD_ADD_APRIL = (
    '  { month: "Мар", total: 1630 },\n',
    '  { month: "Мар", total: 1630 },\n  { month: "Апр", total: 2010 },\n',
)
DASHBOARD_DROP_LOG = ('  console.log("render", currency);\n', "")
# The model wrote the colour in upper case, so this `old_str` is not in the artifact.
DASHBOARD_GREEN_BARS = (
    '<Bar dataKey="total" fill="#4F46E5" />',
    '<Bar dataKey="total" fill="#16a34a" />',
)
# The tool rejected this call, so the heading stays as it was.
DASHBOARD_BIGGER_HEADING = (
    '<h1 className="text-2xl font-bold">Продажи за квартал</h1>',
    '<h1 className="text-4xl font-extrabold">Продажи за квартал</h1>',
)
DASHBOARD_V2 = DASHBOARD_V1.replace(*DASHBOARD_ADD_APRIL)
DASHBOARD_V3 = DASHBOARD_V2.replace(*DASHBOARD_DROP_LOG)

LIBRARY_SCHEMA_V1 = '''CREATE TABLE books (
    id          BIGSERIAL PRIMARY KEY,
    isbn        VARCHAR(13) UNIQUE,
    title       TEXT NOT NULL,
    author      TEXT NOT NULL,
    published   SMALLINT
);

CREATE TABLE members (
    id          BIGSERIAL PRIMARY KEY,
    full_name   TEXT NOT NULL,
    email       TEXT UNIQUE NOT NULL,
    joined_on   DATE NOT NULL DEFAULT CURRENT_DATE
);

CREATE TABLE loans (
    id          BIGSERIAL PRIMARY KEY,
    book_id     BIGINT NOT NULL REFERENCES books (id),
    member_id   BIGINT NOT NULL REFERENCES members (id),
    loaned_on   DATE NOT NULL DEFAULT CURRENT_DATE,
    due_on      DATE NOT NULL,
    returned_on DATE
);
'''

LIBRARY_SCHEMA_V2 = '''CREATE TABLE books (
    id          BIGSERIAL PRIMARY KEY,
    isbn        VARCHAR(13) UNIQUE,
    title       TEXT NOT NULL,
    author      TEXT NOT NULL,
    published   SMALLINT
);

CREATE TABLE members (
    id          BIGSERIAL PRIMARY KEY,
    full_name   TEXT NOT NULL,
    email       TEXT UNIQUE NOT NULL,
    joined_on   DATE NOT NULL DEFAULT CURRENT_DATE
);

CREATE TABLE loans (
    id          BIGSERIAL PRIMARY KEY,
    book_id     BIGINT NOT NULL REFERENCES books (id),
    member_id   BIGINT NOT NULL REFERENCES members (id),
    loaned_on   DATE NOT NULL DEFAULT CURRENT_DATE,
    due_on      DATE NOT NULL,
    returned_on DATE,
    CONSTRAINT due_after_loan CHECK (due_on > loaned_on),
    CONSTRAINT returned_after_loan CHECK (returned_on IS NULL OR returned_on >= loaned_on)
);

-- A book can be out on at most one loan at a time.
CREATE UNIQUE INDEX loans_open_per_book ON loans (book_id) WHERE returned_on IS NULL;
CREATE INDEX loans_member ON loans (member_id);
CREATE INDEX loans_due ON loans (due_on) WHERE returned_on IS NULL;
'''

LIBRARY_ER = '''erDiagram
    BOOKS ||--o{ LOANS : "is lent in"
    MEMBERS ||--o{ LOANS : borrows
    BOOKS {
        bigint id PK
        varchar isbn
        text title
        text author
    }
    MEMBERS {
        bigint id PK
        text full_name
        text email
    }
    LOANS {
        bigint id PK
        bigint book_id FK
        bigint member_id FK
        date due_on
        date returned_on
    }'''

BACKUP_SCRIPT = '''#!/usr/bin/env bash
# 毎晩 cron から実行する: 0 2 * * * /opt/library/backup.sh
set -euo pipefail

BACKUP_DIR=/var/backups/library
STAMP=$(date +%Y-%m-%d)

mkdir -p "$BACKUP_DIR"
pg_dump --format=custom --file="$BACKUP_DIR/library-$STAMP.dump" library

# 14 日より古いダンプを削除する
find "$BACKUP_DIR" -name 'library-*.dump' -mtime +14 -delete
'''

INKWELL_LOGO = '''<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120">
  <circle cx="60" cy="60" r="54" fill="#1e2a44"/>
  <path d="M60 22 L82 62 L60 98 L38 62 Z" fill="#f5f1e6"/>
  <path d="M60 54 L60 98" stroke="#1e2a44" stroke-width="3"/>
  <circle cx="60" cy="54" r="5" fill="#1e2a44"/>
</svg>'''

# The first response to the word counter request. The user regenerated it, so this branch
# is abandoned.
WORD_COUNT_ABANDONED = '''use std::collections::BTreeMap;
use std::env;
use std::fs;

fn main() {
    let path = env::args().nth(1).expect("usage: word-count FILE");
    let text = fs::read_to_string(path).unwrap();
    let mut counts = BTreeMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    for (word, count) in counts.iter().take(10) {
        println!("{word}: {count}");
    }
}
'''

WORD_COUNT_FINAL = '''use std::collections::HashMap;
use std::env;
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = env::args().nth(1) else {
        eprintln!("usage: word-count FILE");
        return ExitCode::from(2);
    };
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };

    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric() && c != '\\'')
        .filter(|word| !word.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }

    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (word, count) in ranked.into_iter().take(10) {
        println!("{count:>6}  {word}");
    }
    ExitCode::SUCCESS
}
'''

WORD_COUNT_CLIENT = '''export interface WordCount {
  word: string;
  count: number;
}

export async function topWords(endpoint: string, text: string): Promise<WordCount[]> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: text,
  });
  if (!response.ok) {
    throw new Error(`word count failed: HTTP ${response.status}`);
  }
  return (await response.json()) as WordCount[];
}
'''

DEPLOY_SCRIPT_V1 = '''#!/usr/bin/env bash
# Deploys the API service to staging or prod.
set -euo pipefail

ENVIRONMENT="${1:?usage: deploy.sh staging|prod}"

case "$ENVIRONMENT" in
  staging) HOST="staging.internal.example" ;;
  prod) HOST="prod.internal.example" ;;
  *) echo "unknown environment: $ENVIRONMENT" >&2; exit 2 ;;
esac

echo "Building release..."
npm ci
npm run build

echo "Deploying to $HOST..."
rsync -az --delete dist/ "deploy@$HOST:/srv/api/"
ssh "deploy@$HOST" 'sudo systemctl restart api'
echo "Done."
'''

DEPLOY_CONFIRM = (
    'echo "Building release..."\n',
    'if [[ "$ENVIRONMENT" == prod ]]; then\n'
    '  read -r -p "Deploy to PROD? Type yes: " answer\n'
    '  [[ "$answer" == yes ]] || { echo "Aborted."; exit 1; }\n'
    'fi\n'
    '\n'
    'echo "Building release..."\n',
)
DEPLOY_SCRIPT_V2 = DEPLOY_SCRIPT_V1.replace(*DEPLOY_CONFIRM)

RELEASE_CHECKLIST = '''# Release checklist

## Before staging
- [ ] CHANGELOG.md lists every user-visible change
- [ ] `npm test` passes on the release branch
- [ ] Database migrations are backwards compatible

## Staging
- [ ] `./deploy.sh staging`
- [ ] Smoke test: log in, create an order, cancel it
- [ ] Error rate on the staging dashboard is flat for 15 minutes

## Prod
- [ ] `./deploy.sh prod` (asks for confirmation)
- [ ] Watch latency and error rate for 30 minutes
- [ ] Tag the release: `git tag -a vX.Y.Z`
'''

OUTPUTS = "/mnt/user-data/outputs"


# ---------------------------------------------------------------------------------------
# The sample export
# ---------------------------------------------------------------------------------------

LIBRARY_PROJECT_UUID = "b8d3f6a2-4e1c-4a9b-8f07-6c2d5e9a1b34"


def csv_cleanup() -> Conversation:
    """2024: inline tags, `<antThinking>` before the first one, and a second full version."""
    chat = Conversation("5b1e8a3c-2f47-4d1e-9a6b-7c0d3e8f1a24", "CSV cleanup script",
                        "2024-06-14T09:12:03.118204Z",
                        summary="Python script that trims CSV cells and drops duplicate rows.")
    chat.human("I have a CSV export from our CRM where every cell has stray spaces around it, "
               "and some rows are exact duplicates. Can you write me a small Python script "
               "that cleans it up?")
    chat.assistant([text(
        "<antThinking>A standalone script that the user will run and tweak is a good fit for "
        "an artifact. I'll start with the whitespace cleanup and keep it small.</antThinking>"
        "\n\nHere's a first version that strips the whitespace from every cell and prints the "
        "cleaned rows:\n\n"
        + tag("csv-cleaner", "application/vnd.ant.code", "CSV Cleaner", CSV_CLEANER_V1,
              language="python")
        + "\n\nRun it as `python csv_cleaner.py contacts.csv > cleaned.csv`. It doesn't remove "
        "duplicates yet: should two rows count as duplicates only when every column matches?"
    )], seconds=38)
    chat.human("Every column has to match. Please write to a file instead of stdout, and add "
               "a short note on how to use it.", seconds=140)
    chat.assistant([text(
        "This version keeps the first copy of each row and writes to the output path you "
        "give it:\n\n"
        + tag("csv-cleaner", "application/vnd.ant.code", "CSV Cleaner", CSV_CLEANER_V2,
              language="python")
        + "\n\nAnd the usage notes:\n\n"
        + '<antArtifact title="Usage notes" type="text/markdown" identifier="csv-cleaner-usage">'
        + "\n" + CSV_USAGE_NOTES + "\n</antArtifact>"
        + '\n\nThe duplicate check compares rows after stripping, so `" Ada "` and `"Ada"` '
        "count as the same value."
    )], seconds=52)
    return chat


def bakery_landing() -> Conversation:
    """2024: an HTML tag whose title already ends in `.html`, and an attachment."""
    chat = Conversation("8d04c7f2-61b9-4e3a-b5d8-2a9f0c6e4b17", "Bakery landing page",
                        "2024-09-03T16:40:27.502911Z")
    menu = ("Country sourdough 5.50\nButter croissant 2.20\nCardamom bun 3.00\n"
            "Filter coffee 2.50\n")
    chat.human("My sister is opening a small bakery called Crumb & Co. Could you make a "
               "one-page site with the opening hours (Tue-Sat 7-15) and the menu I attached? "
               "Plain HTML and CSS, no frameworks.",
               attachments=[{"file_name": "menu.txt", "file_size": len(menu),
                             "file_type": "txt", "extracted_content": menu}])
    chat.assistant([text(
        "Here's a single-file page with the hours and the menu. The styles are inline so you "
        "can upload it anywhere:\n\n"
        + tag("bakery-landing", "text/html", "index.html", BAKERY_HTML)
        + "\n\nIf you send me a photo of the shop front I can add it as a header image."
    )], seconds=61)
    return chat


def sales_dashboard() -> Conversation:
    """2025, Cyrillic: `artifacts` tool updates that apply, delete, miss and are rejected."""
    chat = Conversation("c3a9e5d1-7b2f-4f86-8e0a-5d1c9b7a3e62", "Дашборд продаж",
                        "2025-03-05T18:06:11.694633Z")
    chat.human("Сделай, пожалуйста, React-компонент с графиком продаж по месяцам за первый "
               "квартал. И нужен переключатель валюты.")
    chat.assistant([
        thinking("Пользователю нужен компонент с графиком. Recharts доступен в артефактах, "
                 "возьму BarChart и useState для валюты.", "Выбор библиотеки для графика"),
        text("Вот компонент с графиком на Recharts и переключателем валюты:"),
        create("sales-dashboard", "application/vnd.ant.react", "Панель продаж", DASHBOARD_V1),
        tool_result("artifacts"),
        text("Данные пока заданы прямо в массиве `SALES`: замените их своими."),
    ], seconds=24)
    chat.human("Добавь апрель (2010) и убери console.log.", seconds=95)
    chat.assistant([
        text("Добавляю апрель и убираю отладочный вывод."),
        update("sales-dashboard", *DASHBOARD_ADD_APRIL),
        tool_result("artifacts"),
        update("sales-dashboard", *DASHBOARD_DROP_LOG),
        tool_result("artifacts"),
        text("Готово: в графике четыре месяца, а в консоль больше ничего не пишется."),
    ], seconds=18)
    chat.human("Сделай столбцы зелёными и заголовок покрупнее.", seconds=70)
    chat.assistant([
        update("sales-dashboard", *DASHBOARD_GREEN_BARS),
        tool_result("artifacts"),
        update("sales-dashboard", *DASHBOARD_BIGGER_HEADING),
        tool_result("artifacts", "Failed to edit the artifact: the update could not be "
                                 "applied. The artifact was not changed.", is_error=True),
        text("Столбцы теперь зелёные. Заголовок изменить не удалось: редактор вернул ошибку. "
             "Можно поменять класс `text-2xl` на `text-4xl` вручную."),
    ], seconds=21)
    return chat


def library_database() -> Conversation:
    """2025, Japanese, in a project: SQL create and rewrite, a Mermaid diagram and a script."""
    chat = Conversation("e7f2b4a0-95c3-4d7e-a1f6-3b8e0d2c5a91", "データベース設計",
                        "2025-04-22T03:25:48.310275Z", project_uuid=LIBRARY_PROJECT_UUID)
    chat.human("小さな図書館の貸出管理のために PostgreSQL のスキーマを設計してください。"
               "本、利用者、貸出の 3 つのテーブルが必要です。")
    chat.assistant([
        text("3 つのテーブルで構成したスキーマです。"),
        create("library-schema", "application/vnd.ant.code", "Library schema",
               LIBRARY_SCHEMA_V1, language="sql"),
        tool_result("artifacts"),
        text("テーブル同士の関係は次の図のとおりです。"),
        create("library-er", "application/vnd.ant.mermaid", "ER diagram", LIBRARY_ER),
        tool_result("artifacts"),
        text("返却済みかどうかは `returned_on` が NULL かどうかで判定します。"),
    ], seconds=33)
    chat.human("返却期限のチェック制約とインデックスも追加してください。"
               "それから毎晩のバックアップスクリプトもお願いします。", seconds=210)
    chat.assistant([
        text("制約とインデックスを加えたスキーマ全体を書き直しました。"),
        rewrite("library-schema", "application/vnd.ant.code", "Library schema",
                LIBRARY_SCHEMA_V2, language="sql"),
        tool_result("artifacts"),
        text("バックアップは pg_dump のカスタム形式で、14 日分を残します。"),
        create("nightly-backup", "application/vnd.ant.code", "Backup script", BACKUP_SCRIPT,
               language="bash"),
        tool_result("artifacts"),
    ], seconds=41)
    return chat


def untitled_logo() -> Conversation:
    """2025: a conversation whose name is empty, with an SVG and `files` entries."""
    chat = Conversation("1f6d8b3e-c4a2-4e9b-8d70-6a5e2f1c0b38", "",
                        "2025-05-17T11:02:39.845120Z")
    chat.human("Design a simple logo mark for a note-taking app called Inkwell: a fountain "
               "pen nib inside a circle, navy and cream. SVG please.",
               files=[{"file_name": "moodboard.png",
                       "file_uuid": derived_id("moodboard.png")}, {"file_name": None}, None])
    chat.assistant([
        text("Here's a flat nib on a navy disc. It reads well down to 16 pixels:"),
        create("inkwell-logo", "image/svg+xml", "Logo mark", INKWELL_LOGO),
        tool_result("artifacts"),
        text("The cream is #f5f1e6 and the navy #1e2a44, so they match your moodboard."),
    ], seconds=29)
    return chat


def word_counter() -> Conversation:
    """2025: a regenerated response. The newer branch continues and has the final artifact."""
    chat = Conversation("4a8c2e6f-0d1b-4c3e-b9a7-8f5d1e2c7b40", "Rust word counter",
                        "2025-06-10T09:14:22.017733Z")
    request = chat.human("Write a small Rust CLI that reads a text file and prints the ten "
                         "most common words with their counts.")
    chat.assistant([
        text("Here's a compact version using a `BTreeMap`:"),
        create("word-count", "application/vnd.ant.code", "main.rs", WORD_COUNT_ABANDONED,
               language="rust"),
        tool_result("artifacts"),
        text("Build it with `cargo build --release`."),
    ], seconds=28)
    chat.assistant([
        text("This version lowercases words, splits on punctuation, and sorts by count so "
             "the output really is the top ten:"),
        create("word-count", "application/vnd.ant.code", "main.rs", WORD_COUNT_FINAL,
               language="rust"),
        tool_result("artifacts"),
        text("Ties are broken alphabetically so the output is stable between runs."),
    ], parent=request, seconds=135)
    chat.human("Nice. Now a tiny TypeScript client for when I put this behind an HTTP "
               "endpoint that returns JSON.", seconds=200)
    chat.assistant([
        text("A single function is enough:"),
        create("word-count-client", "application/vnd.ant.code", "client.ts",
               WORD_COUNT_CLIENT, language="typescript"),
        tool_result("artifacts"),
        text("It expects the endpoint to answer with `[{\"word\": \"the\", \"count\": 42}]`."),
    ], seconds=26)
    return chat


def deploy_checklist() -> Conversation:
    """2025 files mode: `create_file` in a sub-folder, then `str_replace`. The name has / and :."""
    chat = Conversation("9e3b7d5c-2a1f-4b8e-a6c4-0d7f3e9b1a52", "Deploy: staging/prod checklist",
                        "2025-11-20T14:48:05.226418Z")
    chat.human("We deploy a Node service to staging and then prod with a bash script that I "
               "keep rewriting. Can you write a deploy script that takes the environment as "
               "an argument, and a checklist for the release?")
    chat.assistant([
        thinking("Two files: deploy.sh and a markdown checklist. Put the checklist in docs/ "
                 "as the user's repo probably has one.", "Planning the two files"),
        text("I'll write the script and the checklist as files."),
        create_file(f"{OUTPUTS}/deploy.sh", DEPLOY_SCRIPT_V1,
                    "Deploy script taking staging or prod"),
        tool_result("create_file", f"File created successfully: {OUTPUTS}/deploy.sh"),
        create_file(f"{OUTPUTS}/docs/CHECKLIST.md", RELEASE_CHECKLIST, "Release checklist"),
        tool_result("create_file", f"File created successfully: {OUTPUTS}/docs/CHECKLIST.md"),
        text(f"[View deploy.sh](computer://{OUTPUTS}/deploy.sh)\n"
             f"[View the checklist](computer://{OUTPUTS}/docs/CHECKLIST.md)"),
    ], seconds=47)
    chat.human("Prod deploys should ask for confirmation first.", seconds=160)
    chat.assistant([
        str_replace(f"{OUTPUTS}/deploy.sh", *DEPLOY_CONFIRM, "Ask before deploying to prod"),
        tool_result("str_replace", f"Successfully replaced string in {OUTPUTS}/deploy.sh"),
        text(f"Done: `./deploy.sh prod` now stops unless you type `yes`.\n\n"
             f"[View deploy.sh](computer://{OUTPUTS}/deploy.sh)"),
    ], seconds=19)
    return chat


def quick_question() -> Conversation:
    """Return a conversation that was opened and never used."""
    return Conversation("2c7e9a1b-5f3d-4a6c-8b2e-1d9f0a7c3e65", "Quick question",
                        "2025-12-01T08:00:00.000000Z")


def sample_conversations() -> list[dict]:
    chats = [csv_cleanup(), bakery_landing(), sales_dashboard(), library_database(),
             untitled_logo(), word_counter(), deploy_checklist(), quick_question()]
    return [chat.to_json() for chat in chats]


def sample_projects() -> list[dict]:
    return [{
        "uuid": LIBRARY_PROJECT_UUID,
        "name": "Library system",
        "description": "Lending database for the Hillside community library.",
        "is_private": True,
        "is_starter_project": False,
        "prompt_template": "Answer in Japanese. Target PostgreSQL 16.",
        "created_at": "2025-04-20T07:11:52.402911Z",
        "updated_at": "2025-04-22T03:31:02.118340Z",
        "creator": {"uuid": ACCOUNT["uuid"], "full_name": "Ada Example"},
        "docs": [{
            "uuid": derived_id("library-requirements.md"),
            "filename": "requirements.md",
            "content": "# Requirements\n\n- About 4,000 books\n- Loans last 21 days\n",
            "created_at": "2025-04-20T07:13:40.000000Z",
        }],
    }]


def sample_users() -> list[dict]:
    return [{
        "uuid": ACCOUNT["uuid"],
        "full_name": "Ada Example",
        "email_address": "ada@example.com",
        "verified_phone_number": None,
    }]


def sample_memories() -> list[dict]:
    return [{
        "conversations_memory": "Ada runs a small web team and deploys a Node API. "
                                "She prefers plain HTML and bash over frameworks.",
        "project_memories": {LIBRARY_PROJECT_UUID: "The library uses PostgreSQL 16."},
        "account_uuid": ACCOUNT["uuid"],
    }]


def write_sample() -> None:
    conversations = json_bytes(sample_conversations())
    write_bytes(ASSETS / "sample" / "conversations.json", conversations)
    write_zip(ASSETS / "sample-export.zip", [
        ("conversations.json", conversations),
        ("projects.json", json_bytes(sample_projects())),
        ("users.json", json_bytes(sample_users())),
        ("memories.json", json_bytes(sample_memories())),
    ])


# ---------------------------------------------------------------------------------------
# Test fixtures: one input per case
# ---------------------------------------------------------------------------------------


def fixture_uuid(prefix: str) -> str:
    """Return a uuid that starts with `prefix` (8 hex digits), so tests can name its folder."""
    return prefix + derived_id("fixture", prefix)[8:]


def chat_with(prefix: str, name: str, created_at: str | None, blocks: list[dict],
              request: str = "Please write it.") -> dict:
    """Return a conversation of one request and one response made of `blocks`."""
    chat = Conversation(fixture_uuid(prefix), name, created_at or "2025-01-01T00:00:00Z")
    chat.human(request)
    chat.assistant(blocks)
    result = chat.to_json()
    if created_at is None:
        drop_dates(result)
    return result


def drop_dates(conversation: dict) -> None:
    """Remove every timestamp of a conversation and of its messages."""
    for key in ("created_at", "updated_at"):
        conversation.pop(key, None)
    for message in conversation["chat_messages"]:
        for key in ("created_at", "updated_at"):
            message.pop(key, None)
        for block in message["content"]:
            block.pop("start_timestamp", None)
            block.pop("stop_timestamp", None)


def code(artifact_id, title, content, language) -> list[dict]:
    """Return blocks that create one code artifact with the `artifacts` tool."""
    return [create(artifact_id, "application/vnd.ant.code", title, content, language),
            tool_result("artifacts")]


def markdown(artifact_id, title, content) -> list[dict]:
    """Return blocks that create one markdown artifact with the `artifacts` tool."""
    return [create(artifact_id, "text/markdown", title, content), tool_result("artifacts")]


def array_fixture() -> list[dict]:
    """Return a `conversations.json` array with the timestamp forms seen in exports."""
    return [
        chat_with("a1a1a1a1", "Array form", "2025-03-05T18:06:11.694633Z",
                  code("hello", "Hello", 'print("hello")\n', "python")),
        chat_with("a2a2a2a2", "Offset timestamp", "2025-03-06T09:00:00+00:00", [text(
            "Noted:\n\n" + tag("notes", "text/markdown", "Notes", "# Notes\n\n- first\n- second")
        )]),
        chat_with("a3a3a3a3", "Short timestamp", "2025-03-07T10:00:00Z",
                  code("short", "Short", "x = 1\n", "python")),
    ]


WEB_GREETING_SEEN = "print('from the branch the user saw')\n"
WEB_GREETING_NEWER = "print('from the newer branch')\n"
WEB_REPORT = "# Report\n\nSaved from the web app.\n"


def web_conversation_fixture() -> dict:
    """Return a conversation as the web app serves it. The user last saw the older response."""
    chat = Conversation(fixture_uuid("b1b1b1b1"), "Web app conversation",
                        "2025-07-01T12:00:00.000000+00:00")
    request = chat.human("Print a greeting, and save a short report.")

    greeting = create("greeting", "application/vnd.ant.code", "Greeting", WEB_GREETING_SEEN,
                      language="python")
    greeting["display_content"] = {
        "type": "json_block",
        "json_block": json.dumps({"language": "python", "code": WEB_GREETING_SEEN,
                                  "filename": "greeting.py"}),
    }
    report = create_file(f"{OUTPUTS}/report.md", WEB_REPORT, "Short report")
    report["display_content"] = {"type": "code_block", "code": WEB_REPORT,
                                 "language": "markdown", "filename": f"{OUTPUTS}/report.md"}
    seen = chat.assistant([
        text("Here you go."), greeting, tool_result("artifacts"),
        report, tool_result("create_file", f"File created successfully: {OUTPUTS}/report.md"),
    ])

    newer_greeting = create("greeting", "application/vnd.ant.code", "Greeting",
                            WEB_GREETING_NEWER, language="python")
    newer_greeting["display_content"] = {
        "type": "json_block",
        "json_block": json.dumps({"language": "python", "code": WEB_GREETING_NEWER,
                                  "filename": "greeting.py"}),
    }
    chat.assistant([text("Another take."), newer_greeting, tool_result("artifacts")],
                   parent=request, seconds=300)

    result = chat.to_json()
    for index, message in zip([0, 1, 1], result["chat_messages"]):
        message["index"] = index
        message["truncated"] = False
        message["stop_reason"] = "stop_sequence" if message["sender"] == "assistant" else None
        message["files_v2"] = []
        message["sync_sources"] = []
    result.update({
        "model": "claude-sonnet-4-5-20250929",
        "settings": {"enabled_artifacts_attachments": True, "preview_feature_uses_artifacts": True},
        "is_starred": False,
        "current_leaf_message_uuid": seen,
    })
    return result


SNAPSHOT_REPORT_V1 = "SELECT month, SUM(total) FROM sales GROUP BY month;\n"
SNAPSHOT_REPORT_V2 = "SELECT month, SUM(total) AS total\nFROM sales\nGROUP BY month\nORDER BY month;\n"


def share_snapshot_fixture() -> dict:
    """Return a share snapshot: no parent uuids, and messages out of order until sorted by `index`."""
    chat = Conversation(fixture_uuid("c1c1c1c1"), "", "2025-08-15T10:30:00.000000+00:00")
    chat.human("Write a query for monthly sales totals.")
    chat.assistant([create("monthly-report", "application/vnd.ant.code", "Monthly report",
                           SNAPSHOT_REPORT_V1, language="sql"), tool_result("artifacts")])
    chat.human("Sort it by month and name the column.")
    chat.assistant([rewrite("monthly-report", "application/vnd.ant.code", "Monthly report",
                            SNAPSHOT_REPORT_V2, language="sql"), tool_result("artifacts")])
    messages = chat.to_json()["chat_messages"]
    for index, message in enumerate(messages):
        message["index"] = index
        del message["parent_message_uuid"]
    return {
        "uuid": chat.uuid,
        "snapshot_name": "Shared snapshot",
        "created_at": chat.created_at,
        "chat_messages": [messages[3], messages[1], messages[0], messages[2]],
    }


def write_export_2026() -> None:
    """Write the 2026 packaging: a manifest and one archive per category, two conversation parts."""
    folder = FIXTURES / "export-2026"
    project_uuid = fixture_uuid("d9d9d9d9")
    part_zero = chat_with("d0d0d0d0", "Manifest export part 0", "2026-01-01T10:00:00.000000Z",
                          code("part-zero", "Part zero", "print(0)\n", "python"))
    part_zero["project_uuid"] = project_uuid
    part_one = chat_with("d1d1d1d1", "Manifest export part 1", "2026-01-01T11:00:00.000000Z",
                         code("part-one", "Part one", "export const part = 1;\n", "typescript"))
    project = dict(sample_projects()[0], uuid=project_uuid, name="Manifest project")

    archives = {
        "conversations-000.zip": [("conversations.json", json_bytes([part_zero]))],
        "conversations-001.zip": [("conversations.json", json_bytes([part_one]))],
        "projects-000.zip": [(f"projects/{project_uuid}.json", json_bytes(project))],
        "memories-000.zip": [("memories.json", json_bytes(sample_memories()))],
        "light_metadata-000.zip": [("users.json", json_bytes(sample_users()))],
    }
    for filename, members in archives.items():
        write_zip(folder / filename, members)

    entries = [
        ("conversations", "conversations-000.zip", 0),
        ("conversations", "conversations-001.zip", 1),
        ("projects", "projects-000.zip", 0),
        ("memories", "memories-000.zip", 0),
        ("light_metadata", "light_metadata-000.zip", 0),
    ]
    write_json(folder / "manifest-2026-01-01.json", {
        "created_at": "2026-01-01T12:00:00.000000Z",
        "version": "1.0",
        "total_files": len(entries),
        "data_files": [
            {"batch_index": batch, "category": category, "filename": filename, "part": part,
             "export_url": f"https://example.invalid/{filename}"}
            for batch, (category, filename, part) in enumerate(entries)
        ],
    })


def write_export_unpacked() -> None:
    """Write a single-archive export unpacked into a folder."""
    folder = FIXTURES / "export-unpacked"
    write_json(folder / "conversations.json", [
        chat_with("e0e0e0e0", "Unpacked export", "2025-09-09T09:09:09.000000Z",
                  markdown("readme", "Readme", "# Unpacked\n\nRead from a folder.\n")),
    ])
    write_json(folder / "projects.json", [])
    write_json(folder / "users.json", sample_users())
    write_json(folder / "memories.json", sample_memories())


def empty_conversations_fixture() -> list[dict]:
    """Return conversations that contain no artifact at all."""
    nothing = chat_with("0e000001", "Nothing here", "2025-02-01T08:00:00Z", [text("")])
    nothing["chat_messages"] = []
    no_field = dict(nothing, uuid=fixture_uuid("0e000002"), name="No messages field")
    del no_field["chat_messages"]
    null_messages = dict(nothing, uuid=fixture_uuid("0e000003"), name="Null messages",
                         chat_messages=None)
    question = Conversation(fixture_uuid("0e000004"), "Only a question", "2025-02-01T09:00:00Z")
    question.human("Is a fenced code block in a reply an artifact?")
    prose = chat_with("0e000005", "Prose only", "2025-02-01T10:00:00Z", [text(
        "No. Only tags and tool calls make artifacts. This is plain text:\n\n"
        "```python\nprint('not an artifact')\n```"
    )], request="Show me a fenced block.")
    return [nothing, no_field, null_messages, question.to_json(), prose]


def folder_names_fixture() -> list[dict]:
    """Return conversations with an empty name and a date, a name and no date, and neither."""
    return [
        chat_with("e1e1e1e1", "", "2025-02-02T12:00:00.000000Z", [
            create("sketch", "image/svg+xml", "Sketch",
                   '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'),
            tool_result("artifacts")]),
        chat_with("e2e2e2e2", "No date", None, markdown("plan", "Plan", "# Plan\n")),
        chat_with("e3e3e3e3", "", None, markdown("draft", "Draft", "# Draft\n")),
    ]


def unicode_titles_fixture() -> list[dict]:
    return [
        chat_with("f1f1f1f1", "Отчёт о продажах", "2025-01-10T12:00:00Z",
                  markdown("summary", "Сводка", "# Сводка\n\nПродажи выросли на 12 %.\n")),
        chat_with("f2f2f2f2", "売上レポート", "2025-01-11T12:00:00Z",
                  code("tally", "集計スクリプト", "print('集計')\n", "python")),
        chat_with("f3f3f3f3", "🚀 Launch plan 🎉", "2025-01-12T12:00:00Z",
                  markdown("launch", "Checklist ✅", "- [x] 🚀\n")),
        chat_with("f4f4f4f4", "Q3/Q4: plan", "2025-01-13T12:00:00Z",
                  code("slash", "a/b: test", "assert 'a/b'\n", "python")),
        chat_with("f5f5f5f5", "Line one\nLine two", "2025-01-14T12:00:00Z",
                  markdown("multiline", "Multi\nline", "two lines\n")),
    ]


FIZZBUZZ_V1 = '''for n in range(1, 101):
    if n % 15 == 0:
        print("FizzBuzz")
    elif n % 3 == 0:
        print("Fizz")
    elif n % 5 == 0:
        print("Buzz")
    else:
        print(n)'''

FIZZBUZZ_V2 = '''def fizzbuzz(limit):
    for n in range(1, limit + 1):
        if n % 15 == 0:
            print("FizzBuzz")
        elif n % 3 == 0:
            print("Fizz")
        elif n % 5 == 0:
            print("Buzz")
        else:
            print(n)


fizzbuzz(100)'''


def text_only_fixture() -> list[dict]:
    """Return an old export: `content` empty or missing, no parent uuids, tags only in `text`."""
    bodies = [
        ("human", "Write FizzBuzz in Python."),
        ("assistant", "Sure:\n\n" + tag("fizzbuzz", "application/vnd.ant.code", "FizzBuzz",
                                        FIZZBUZZ_V1, language="python")
         + "\n\nIt prints the numbers from 1 to 100."),
        ("human", "Make the upper limit a parameter."),
        ("assistant", "Here it is as a function:\n\n"
         + tag("fizzbuzz", "application/vnd.ant.code", "FizzBuzz", FIZZBUZZ_V2,
               language="python")),
    ]
    uuid = fixture_uuid("01d0e001")
    messages = []
    for position, (sender, body) in enumerate(bodies):
        stamp = f"2024-03-12T10:0{position}:00.000000Z"
        message = {"uuid": derived_id(uuid, str(position)), "text": body, "sender": sender,
                   "created_at": stamp, "updated_at": stamp, "attachments": [], "files": []}
        if position != 1:
            message["content"] = []
        messages.append(message)
    return [{"uuid": uuid, "name": "Old export", "summary": "",
             "created_at": "2024-03-12T10:00:00.000000Z",
             "updated_at": "2024-03-12T10:03:00.000000Z", "account": ACCOUNT,
             "chat_messages": messages}]


TAGGED_HTML = '''<div id="app"></div>
<script>
  if (1 < 2 && 3 > 2) document.getElementById("app").textContent = "</div>";
</script>'''


def tags_fixture() -> list[dict]:
    """Inline tags in the forms that 2024 models wrote."""
    message = "\n\n".join([
        "<antThinking>Several small artifacts show the formats.</antThinking>",
        '<antArtifact title="Reordered" language="python" identifier="reordered" '
        'type="application/vnd.ant.code">\nprint(\'attributes in any order\')\n</antArtifact>',
        '<antArtifact identifier="trailing-newline" type="text/markdown" '
        'title="Trailing newline">\n# Kept\n\n</antArtifact>',
        '<antArtifact identifier="no-newlines" type="text/markdown" title="No newlines">'
        "# Tight</antArtifact>",
        tag("flow", "application/vnd.ant.mermaid", "Flow", "graph TD\n  A --> B"),
        tag("dot", "image/svg+xml", "Dot",
            '<svg xmlns="http://www.w3.org/2000/svg"><circle r="2"/></svg>'),
        tag("counter", "application/vnd.ant.react", "Counter",
            "export default function Counter() {\n  return <button>0</button>;\n}"),
        tag("raw-html", "text/html", "Raw", TAGGED_HTML),
    ])
    return [chat_with("7a970001", "Tag forms", "2024-05-20T12:00:00.000000Z", [text(message)])]


def language_null_fixture() -> list[dict]:
    """Return code artifacts without a language: `null` from the tool, no attribute in a tag."""
    notes = tool_use("artifacts", {"id": "plain-notes", "command": "create",
                                   "type": "application/vnd.ant.code", "title": "Notes",
                                   "language": None, "content": "alpha beta gamma\n"})
    return [chat_with("1a000001", "Language null", "2025-02-03T12:00:00Z", [
        notes, tool_result("artifacts"),
        text(tag("snippet", "application/vnd.ant.code", "Snippet", "just some words")),
    ])]


PARSER_V1 = '''def parse(line):
    key, value = line.split("=")
    return key, value
'''

PARSER_UPDATES = [
    ('key, value = line.split("=")', 'key, value = line.split("=", 1)'),
    ("return key, value", "return key.strip(), value.strip()"),
    ("def parse(line):\n",
     'def parse(line):\n    if not line.strip() or line.lstrip().startswith("#"):\n'
     "        return None\n"),
    ("def parse(line):\n",
     'def parse(line):\n    """Split a `key = value` line. Returns None for blank lines and '
     'comments."""\n'),
]


def many_artifacts_fixture() -> list[dict]:
    """Return one response that creates three artifacts and updates one of them four times."""
    blocks = [text("Three files, then a few fixes to the parser.")]
    blocks += code("parser", "Parser", PARSER_V1, "python")
    blocks += code("parser-tests", "Parser tests",
                   "from parser import parse\n\nassert parse('a=b') == ('a', 'b')\n", "python")
    blocks += markdown("parser-readme", "README", "# Parser\n\nParses `key = value` lines.\n")
    for old_str, new_str in PARSER_UPDATES:
        blocks += [update("parser", old_str, new_str), tool_result("artifacts")]
    blocks.append(text("The parser now skips comments and trims both sides."))
    return [chat_with("3a000001", "Many artifacts", "2025-02-04T12:00:00Z", blocks)]


def same_title_fixture() -> list[dict]:
    """Return four artifacts with two titles, compared without case."""
    blocks = []
    blocks += code("helper-a", "Helper", "def a():\n    pass\n", "python")
    blocks += code("helper-b", "Helper", "def b():\n    pass\n", "python")
    blocks += markdown("notes-a", "Notes", "first\n")
    blocks += markdown("notes-b", "NOTES", "second\n")
    return [chat_with("5a3e0001", "Duplicate titles", "2025-02-05T12:00:00Z", blocks)]


def same_conversation_name_fixture() -> list[dict]:
    return [
        chat_with("9a9a9a9a", "Weekly report", "2025-04-07T09:00:00Z",
                  markdown("summary", "Summary", "Week 14: first team\n")),
        chat_with("9b9b9b9b", "Weekly report", "2025-04-07T15:00:00Z",
                  markdown("summary", "Summary", "Week 14: second team\n")),
    ]


TODO_LIST = "# Todo\n\n- [ ] Call the plumber\n- [ ] Renew the passport\n"


def unknown_blocks_fixture() -> list[dict]:
    """Return block types, fields and content items that the program has never seen."""
    todo = create("todo", "text/markdown", "Todo list", TODO_LIST)
    todo["input"]["md_citations"] = []
    todo["input"]["source"] = "voice"
    todo["input"]["future_option"] = {"nested": [1, 2, 3]}
    todo["telemetry"] = {"latency_ms": 812}

    blocks = [
        {"type": "voice_note", "title": "Voice note", "text": "make a todo list",
         "duration_ms": 4200},
        {"type": "token_budget", "remaining": 180000},
        {"type": "flag", "flag": "content_review"},
        {"type": "injected_prompt_block", "text": "(system) be brief"},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                        "data": "JVBERi0xLjQK"}},
        {"type": "hologram_v9", "payload": {"frames": [1, 2, 3]}},
        tool_use("web_search", {"query": "plumber opening hours"}),
        {"type": "tool_result", "tool_use_id": None, "name": "web_search", "is_error": False,
         "content": [{"type": "knowledge", "title": "Plumbers", "url": "https://example.invalid"},
                     {"type": "text", "text": "Open 8-17", "uuid": None}]},
        text("Here's the list from your voice note:"),
        todo,
        tool_result("artifacts"),
    ]

    chat = chat_with("0b0c0001", "Unknown blocks", "2025-02-06T12:00:00Z", blocks,
                     request="(voice note)")
    for message in chat["chat_messages"]:
        message["content"] += ["stray string", 42, None]
        message["reactions"] = {"thumbs_up": 1}
        message["input_mode"] = "voice"

    chat["is_starred"] = True
    chat["future_field"] = {"nested": [1, 2]}
    return [chat]


HAIKU = "An old silent pond\nA frog jumps into the pond\nSplash! Silence again\n"


def wrong_types_fixture() -> list:
    """Return fields of the wrong JSON type and array elements that are not objects."""
    chat = chat_with("3e000001", "placeholder", "2025-02-07T12:00:00Z",
                     markdown("haiku", "Haiku", HAIKU), request="Write a haiku.")
    chat.update({"name": 12345, "summary": ["not", "text"], "created_at": 1718000000,
                 "updated_at": False, "account": "not an object", "project_uuid": 7})
    human, response = chat["chat_messages"]
    human["content"] = "should be an array"
    human["attachments"] = "should be an array"
    human["files"] = 3
    human["index"] = "zero"
    create_block, result_block = response["content"]
    create_block["id"] = 99
    create_block["input"]["title"] = 42
    create_block["input"]["language"] = ["markdown"]
    create_block["display_content"] = "not an object"
    result_block["tool_use_id"] = 99
    result_block["is_error"] = "no"
    result_block["content"] = "OK"
    chat["chat_messages"] = ["oops", None, 5, human, response]
    return ["garbage", 17, None, chat]


def update_before_create_fixture() -> list[dict]:
    """Return an update for an id created nowhere, and one for an id created on another branch."""
    never = chat_with("0e0e0001", "Update before create", "2025-02-08T12:00:00Z", [
        update("orphan", "a", "b"), tool_result("artifacts"),
        *markdown("kept", "Kept", "kept\n"),
    ])
    other = Conversation(fixture_uuid("0e0e0002"), "Created on another branch",
                         "2025-02-08T13:00:00Z")
    request = other.human("Two lines please.")
    other.assistant(markdown("branchy", "Branchy", "one\ntwo\n"))
    other.assistant([update("branchy", "two", "three"), tool_result("artifacts")],
                    parent=request, seconds=120)
    return [never, other.to_json()]


POEM_V1 = "Roses are red\nViolets are blue\n"
POEM_FINAL = "Roses are red\nBorrowck is true\n"


def abandoned_branch_fixture() -> list[dict]:
    """Return updates on a regenerated response and after an edited prompt that the user left."""
    chat = Conversation(fixture_uuid("ab000001"), "Abandoned branch", "2025-02-09T12:00:00Z")
    chat.human("Write a two-line poem.")
    chat.assistant(markdown("poem", "Poem", POEM_V1))
    request = chat.human("Make the second line about Rust.")
    chat.assistant([update("poem", "Roses are red", "Crabs are red"), tool_result("artifacts")])
    regenerated = chat.assistant(
        [update("poem", "Violets are blue", "Borrowck is true"), tool_result("artifacts")],
        parent=request)
    chat.human("Add a title.", parent=regenerated)
    chat.assistant([update("poem", "Roses are red\n", "# Poem\n\nRoses are red\n"),
                    tool_result("artifacts")])
    chat.human("Never mind, it's fine as it is.", parent=regenerated)
    chat.assistant([text("Great, I'll leave it as it is.")])
    return [chat.to_json()]


COUNTER_V1 = '''total = 0
for line in open("log.txt"):
    if "ERROR" in line:
        total += 1
    if "WARN" in line:
        total += 1
print(total)
'''
COUNTER_FINAL = COUNTER_V1.replace("print(total)", 'print(f"{total} problems")')


def failed_updates_fixture() -> list[dict]:
    """Return updates whose `old_str` is missing or found twice, and calls the tool rejected."""
    return [chat_with("fa000001", "Failed updates", "2025-02-10T12:00:00Z", [
        *code("counter", "Counter", COUNTER_V1, "python"),
        update("counter", "total += 1", "total = total + 1"),
        tool_result("artifacts"),
        update("counter", "print(count)", "print(count, 'problems')"),
        tool_result("artifacts"),
        rewrite("counter", "application/vnd.ant.code", "Counter", "print('rejected')\n",
                language="python"),
        tool_result("artifacts", "Error: the artifact could not be rewritten.", is_error=True),
        update("counter", "print(total)", 'print(f"{total} problems")'),
        tool_result("artifacts"),
        create("ghost", "text/markdown", "Ghost", "never created\n"),
        tool_result("artifacts", "Error: invalid artifact type.", is_error=True),
    ])]


SITE_INDEX_V1 = '''<!DOCTYPE html>
<html>
  <head><link rel="stylesheet" href="css/style.css"></head>
  <body>
    <p>Draft banner</p>
    <h1>Hello</h1>
  </body>
</html>
'''
SITE_INDEX_FINAL = SITE_INDEX_V1.replace("    <p>Draft banner</p>\n", "")
SITE_CSS_V1 = "h1 {\n  color: red;\n}\n"
SITE_CSS_FINAL = "h1 {\n  color: #b91c1c;\n}\n"


def files_mode_fixture() -> list[dict]:
    """Return `create_file` calls in nested folders, and `str_replace` with and without `new_str`."""
    return [chat_with("f11e0001", "Files mode", "2025-10-02T12:00:00Z", [
        create_file(f"{OUTPUTS}/site/index.html", SITE_INDEX_V1, "Page"),
        tool_result("create_file", f"File created successfully: {OUTPUTS}/site/index.html"),
        create_file(f"{OUTPUTS}/site/css/style.css", SITE_CSS_V1, "Styles"),
        tool_result("create_file", f"File created successfully: {OUTPUTS}/site/css/style.css"),
        str_replace(f"{OUTPUTS}/site/css/style.css", "color: red;", "color: #b91c1c;",
                    "Darker red"),
        tool_result("str_replace", "Successfully replaced string"),
        str_replace(f"{OUTPUTS}/site/index.html", "    <p>Draft banner</p>\n", None,
                    "Remove the banner"),
        tool_result("str_replace", "Successfully replaced string"),
        create_file(f"{OUTPUTS}/notes.txt", "first draft\n", "Notes"),
        tool_result("create_file", f"File created successfully: {OUTPUTS}/notes.txt"),
        create_file(f"{OUTPUTS}/notes.txt", "second draft\n", "Notes, rewritten"),
        tool_result("create_file", f"File created successfully: {OUTPUTS}/notes.txt"),
        str_replace(f"{OUTPUTS}/missing.md", "a", "b", "Edit a file never created"),
        tool_result("str_replace", "Successfully replaced string"),
    ])]


# Titles that a careless program would turn into paths outside its output folder, names that
# Windows reserves, or names that hide their real extension.
HOSTILE_TITLES = {
    "dot-dot": "../../etc/passwd",
    "reserved-con": "CON",
    "reserved-aux": "aux.txt",
    "bidi": "evil\u202etxt.exe",
    "long-utf8": "é" * 200,
    "trailing-dots": "report...",
    "controls": "tab\there\u0007bell",
    "nul": "nul\u0000byte",
    "forbidden": 'a<b>c:d"e|f?g*h\\i',
    "only-dots": "..",
    "blank": "   ",
}


def hostile_titles_fixture() -> list[dict]:
    blocks = []
    for artifact_id, title in HOSTILE_TITLES.items():
        if artifact_id == "reserved-aux":
            # A code tag without a language, so the file ends in .txt like the title.
            blocks.append(text(tag(artifact_id, "application/vnd.ant.code", title, "aux\n")))
        else:
            blocks += markdown(artifact_id, title, f"{artifact_id}\n")
    escapes = [
        f"{OUTPUTS}/../../escape.txt",
        f"{OUTPUTS}/sub/../../../../escape-deeper.txt",
        f"{OUTPUTS}/CON/aux.md",
    ]
    file_blocks = []
    for path in escapes:
        file_blocks += [create_file(path, f"{path}\n", "Hostile path"),
                        tool_result("create_file", "File created successfully")]
    return [
        chat_with("0bad0001", "../../etc/passwd", None, blocks),
        chat_with("0bad0002", "\u202egnp.exe", "2025-02-11T12:00:00Z",
                  markdown("harmless", "Harmless", "harmless\n")),
        chat_with("0bad0003", "ж" * 200, "2025-02-11T12:00:00Z",
                  code("long-ascii", "x" * 300, "long\n", "python")),
        chat_with("0bad0004", "Trailing dots...", "2025-02-11T12:00:00Z",
                  markdown("dotted", "notes.", "dotted\n")),
        chat_with("0bad0005", "CON", None, markdown("in-con", "Inside", "inside\n")),
        chat_with("0bad0006", "Files escape", "2025-02-11T12:00:00Z", file_blocks),
    ]


def write_fixtures() -> None:
    write_json(FIXTURES / "array.json", array_fixture())
    write_json(FIXTURES / "web-conversation.json", web_conversation_fixture())
    write_json(FIXTURES / "share-snapshot.json", share_snapshot_fixture())
    write_export_2026()
    write_export_unpacked()
    write_json(FIXTURES / "empty-conversations.json", empty_conversations_fixture())
    write_json(FIXTURES / "folder-names.json", folder_names_fixture())
    write_json(FIXTURES / "unicode-titles.json", unicode_titles_fixture())
    write_json(FIXTURES / "text-only.json", text_only_fixture())
    write_json(FIXTURES / "tags.json", tags_fixture())
    write_json(FIXTURES / "language-null.json", language_null_fixture())
    write_json(FIXTURES / "many-artifacts.json", many_artifacts_fixture())
    write_json(FIXTURES / "same-title.json", same_title_fixture())
    write_json(FIXTURES / "same-conversation-name.json", same_conversation_name_fixture())
    write_json(FIXTURES / "unknown-blocks.json", unknown_blocks_fixture())
    write_json(FIXTURES / "wrong-types.json", wrong_types_fixture())
    write_json(FIXTURES / "update-before-create.json", update_before_create_fixture())
    write_json(FIXTURES / "abandoned-branch.json", abandoned_branch_fixture())
    write_json(FIXTURES / "failed-updates.json", failed_updates_fixture())
    write_json(FIXTURES / "files-mode.json", files_mode_fixture())
    write_json(FIXTURES / "hostile-titles.json", hostile_titles_fixture())

    # Cut inside a string value, as when a download stops early.
    whole = json_bytes(array_fixture())
    write_bytes(FIXTURES / "truncated.json", whole[: len(whole) // 2])
    write_bytes(FIXTURES / "not-json.json",
                b"Subject: Your Claude data export is ready\n\nThis is an email, not JSON.\n")
    write_zip(FIXTURES / "no-conversations.zip", [
        ("users.json", json_bytes(sample_users())),
        ("projects.json", json_bytes([])),
    ])


def main() -> None:
    write_sample()
    write_fixtures()


if __name__ == "__main__":
    main()
