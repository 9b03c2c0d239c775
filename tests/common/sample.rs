//! What the sample export `assets/sample-export.zip` contains: the expected output paths and
//! the content of every artifact, byte for byte. `scripts/make_sample.py` writes the sample
//! from the same text, so a change there needs the same change here.
//!
//! Artifacts from inline tags lose the newline after the opening tag and the one before the
//! closing tag, so their constants end without a newline.

/// Conversation folders of the sample, one per conversation that has artifacts.
pub const CSV_FOLDER: &str = "2024-06-14 CSV cleanup script (5b1e8a3c)";
pub const BAKERY_FOLDER: &str = "2024-09-03 Bakery landing page (8d04c7f2)";
pub const DASHBOARD_FOLDER: &str = "2025-03-05 Дашборд продаж (c3a9e5d1)";
pub const LIBRARY_FOLDER: &str = "2025-04-22 データベース設計 (e7f2b4a0)";
/// The conversation's name is empty.
pub const LOGO_FOLDER: &str = "2025-05-17 Untitled (1f6d8b3e)";
pub const WORD_COUNT_FOLDER: &str = "2025-06-10 Rust word counter (4a8c2e6f)";
/// The conversation is named "Deploy: staging/prod checklist".
pub const DEPLOY_FOLDER: &str = "2025-11-20 Deploy - staging_prod checklist (9e3b7d5c)";

/// Every artifact of the sample: its path below the output folder and its final content.
pub const ARTIFACTS: &[(&str, &str)] = &[
    (
        "2024-06-14 CSV cleanup script (5b1e8a3c)/CSV Cleaner.py",
        CSV_CLEANER_V2,
    ),
    (
        "2024-06-14 CSV cleanup script (5b1e8a3c)/Usage notes.md",
        CSV_USAGE_NOTES,
    ),
    (
        "2024-09-03 Bakery landing page (8d04c7f2)/index.html",
        BAKERY_HTML,
    ),
    (
        "2025-03-05 Дашборд продаж (c3a9e5d1)/Панель продаж.jsx",
        DASHBOARD_V3,
    ),
    (
        "2025-04-22 データベース設計 (e7f2b4a0)/Library schema.sql",
        LIBRARY_SCHEMA_V2,
    ),
    (
        "2025-04-22 データベース設計 (e7f2b4a0)/ER diagram.mmd",
        LIBRARY_ER,
    ),
    (
        "2025-04-22 データベース設計 (e7f2b4a0)/Backup script.sh",
        BACKUP_SCRIPT,
    ),
    ("2025-05-17 Untitled (1f6d8b3e)/Logo mark.svg", INKWELL_LOGO),
    (
        "2025-06-10 Rust word counter (4a8c2e6f)/main.rs",
        WORD_COUNT_FINAL,
    ),
    (
        "2025-06-10 Rust word counter (4a8c2e6f)/client.ts",
        WORD_COUNT_CLIENT,
    ),
    (
        "2025-11-20 Deploy - staging_prod checklist (9e3b7d5c)/deploy.sh",
        DEPLOY_SCRIPT_V2,
    ),
    (
        "2025-11-20 Deploy - staging_prod checklist (9e3b7d5c)/docs/CHECKLIST.md",
        RELEASE_CHECKLIST,
    ),
];

/// Ids of the sample's artifacts made with inline tags or the `artifacts` tool. The two
/// files of the files-mode conversation are keyed by their paths instead.
pub const ARTIFACT_IDS: &[&str] = &[
    "csv-cleaner",
    "csv-cleaner-usage",
    "bakery-landing",
    "sales-dashboard",
    "library-schema",
    "library-er",
    "nightly-backup",
    "inkwell-logo",
    "word-count",
    "word-count-client",
];

/// The first version of `csv-cleaner`, replaced by a second tag with the same identifier.
pub const CSV_CLEANER_V1: &str = r##"import csv
import sys


def clean_row(row):
    return [cell.strip() for cell in row]


def main(path):
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            print(",".join(clean_row(row)))


if __name__ == "__main__":
    main(sys.argv[1])"##;

pub const CSV_CLEANER_V2: &str = r##"import csv
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
    print(f"wrote {kept} unique rows to {sys.argv[2]}")"##;

pub const CSV_USAGE_NOTES: &str = r##"# CSV Cleaner

Strips leading and trailing whitespace from every cell and drops rows that repeat an
earlier row.

## Usage

```bash
python csv_cleaner.py contacts.csv contacts-clean.csv
```

- The input must be UTF-8. In Excel, save as "CSV UTF-8 (Comma delimited)".
- The first copy of a row is kept and later copies are dropped.
- The header row is treated like any other row."##;

pub const BAKERY_HTML: &str = r##"<!DOCTYPE html>
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
</html>"##;

/// `sales-dashboard` as created.
pub const DASHBOARD_V1: &str = r##"import { useState } from "react";
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
"##;

/// After the update that adds April.
pub const DASHBOARD_V2: &str = r##"import { useState } from "react";
import { BarChart, Bar, XAxis, YAxis, Tooltip } from "recharts";

const SALES = [
  { month: "Янв", total: 1200 },
  { month: "Фев", total: 1850 },
  { month: "Мар", total: 1630 },
  { month: "Апр", total: 2010 },
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
"##;

/// After the update with an empty `new_str` that removes the `console.log` line. The two
/// later updates change nothing: one `old_str` is not in the artifact, the tool rejected the other.
pub const DASHBOARD_V3: &str = r##"import { useState } from "react";
import { BarChart, Bar, XAxis, YAxis, Tooltip } from "recharts";

const SALES = [
  { month: "Янв", total: 1200 },
  { month: "Фев", total: 1850 },
  { month: "Мар", total: 1630 },
  { month: "Апр", total: 2010 },
];

export default function SalesDashboard() {
  const [currency, setCurrency] = useState("RUB");

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
"##;

pub const LIBRARY_SCHEMA_V1: &str = r##"CREATE TABLE books (
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
"##;

pub const LIBRARY_SCHEMA_V2: &str = r##"CREATE TABLE books (
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
"##;

pub const LIBRARY_ER: &str = r##"erDiagram
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
    }"##;

pub const BACKUP_SCRIPT: &str = r##"#!/usr/bin/env bash
# 毎晩 cron から実行する: 0 2 * * * /opt/library/backup.sh
set -euo pipefail

BACKUP_DIR=/var/backups/library
STAMP=$(date +%Y-%m-%d)

mkdir -p "$BACKUP_DIR"
pg_dump --format=custom --file="$BACKUP_DIR/library-$STAMP.dump" library

# 14 日より古いダンプを削除する
find "$BACKUP_DIR" -name 'library-*.dump' -mtime +14 -delete
"##;

pub const INKWELL_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120">
  <circle cx="60" cy="60" r="54" fill="#1e2a44"/>
  <path d="M60 22 L82 62 L60 98 L38 62 Z" fill="#f5f1e6"/>
  <path d="M60 54 L60 98" stroke="#1e2a44" stroke-width="3"/>
  <circle cx="60" cy="54" r="5" fill="#1e2a44"/>
</svg>"##;

/// `word-count` in the response that the user regenerated. It must not be written.
pub const WORD_COUNT_ABANDONED: &str = r##"use std::collections::BTreeMap;
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
"##;

/// `word-count` in the regenerated response, which the conversation continues from.
pub const WORD_COUNT_FINAL: &str = r##"use std::collections::HashMap;
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
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
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
"##;

pub const WORD_COUNT_CLIENT: &str = r##"export interface WordCount {
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
"##;

pub const DEPLOY_SCRIPT_V1: &str = r##"#!/usr/bin/env bash
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
"##;

/// After the `str_replace` that adds the confirmation prompt.
pub const DEPLOY_SCRIPT_V2: &str = r##"#!/usr/bin/env bash
# Deploys the API service to staging or prod.
set -euo pipefail

ENVIRONMENT="${1:?usage: deploy.sh staging|prod}"

case "$ENVIRONMENT" in
  staging) HOST="staging.internal.example" ;;
  prod) HOST="prod.internal.example" ;;
  *) echo "unknown environment: $ENVIRONMENT" >&2; exit 2 ;;
esac

if [[ "$ENVIRONMENT" == prod ]]; then
  read -r -p "Deploy to PROD? Type yes: " answer
  [[ "$answer" == yes ]] || { echo "Aborted."; exit 1; }
fi

echo "Building release..."
npm ci
npm run build

echo "Deploying to $HOST..."
rsync -az --delete dist/ "deploy@$HOST:/srv/api/"
ssh "deploy@$HOST" 'sudo systemctl restart api'
echo "Done."
"##;

pub const RELEASE_CHECKLIST: &str = r##"# Release checklist

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
"##;
