//! Search, filters and sorting, and the rows they leave visible.
//!
//! Matching the search text against every artifact's text can take seconds for a large
//! export, so the search worker thread does it and sends results back in chunks. While
//! results arrive, the rows are rebuilt from the entries matched so far at most every
//! [`REBUILD_INTERVAL`], and once more when the last result arrives. Filters by
//! conversation, type and language and the sort order reuse the results, so they apply at
//! once.

use std::cmp::Ordering;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::library::{Entry, Library};
use super::search::{Job, Needle, SearchWorker};
use crate::coordinator::Wake;

/// The minimum time between two rebuilds of the rows while entries or search results keep
/// arriving, so that a long load does not sort tens of thousands of rows on every batch.
const REBUILD_INTERVAL: Duration = Duration::from_millis(250);
/// The delay before a search job that found the worker's queue full is submitted again.
const RETRY_SUBMIT: Duration = Duration::from_millis(20);

/// A column of the artifact table that rows can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortColumn {
    Title,
    Type,
    Language,
    Versions,
    Size,
    Conversation,
    Date,
}

/// The current sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sort {
    pub(crate) column: SortColumn,
    pub(crate) ascending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            column: SortColumn::Date,
            ascending: true,
        }
    }
}

/// The progress of the current search over the library.
#[derive(Debug, Default)]
struct Scan {
    /// `None` when the search text is blank, so that every entry matches.
    needle: Option<Arc<Needle>>,
    generation: u64,
    /// Whether each entry matches the search text, by entry index, for the entries whose
    /// results have arrived.
    matches: Vec<bool>,
    /// The number of entries sent to the worker so far.
    submitted: usize,
}

/// The search and filter inputs, and the rows they select.
pub(crate) struct Filter {
    /// The text in the search box. Call [`Self::search_changed`] after editing it.
    pub(crate) search: String,
    conversation: Option<usize>,
    kind: Option<String>,
    language: Option<String>,
    sort: Sort,
    worker: SearchWorker,
    scan: Scan,
    /// Visible entries, in sort order.
    rows: Vec<usize>,
    /// Conversations for the browser: those with at least one matching artifact.
    conversation_rows: Vec<usize>,
    /// Rows must be rebuilt because an input, the library or the results changed.
    stale: bool,
    /// Rebuild at the next chance, without waiting for [`REBUILD_INTERVAL`].
    urgent: bool,
    /// The search text changed, and the rows do not show its complete results yet.
    search_pending: bool,
    last_rebuild: Option<Instant>,
}

impl Filter {
    /// Starts the search worker. `wake` runs whenever search results arrive.
    pub(crate) fn new(wake: Wake) -> io::Result<Self> {
        Ok(Self {
            search: String::new(),
            conversation: None,
            kind: None,
            language: None,
            sort: Sort::default(),
            worker: SearchWorker::start(wake)?,
            scan: Scan::default(),
            rows: Vec::new(),
            conversation_rows: Vec::new(),
            stale: true,
            urgent: true,
            search_pending: false,
            last_rebuild: None,
        })
    }

    /// Forgets the results after the library was cleared. The inputs stay.
    pub(crate) fn library_reset(&mut self) {
        self.restart_scan();
        self.conversation = None;
        self.rows.clear();
        self.conversation_rows.clear();
        self.refresh_now();
    }

    /// Starts matching the new search text from the first entry.
    pub(crate) fn search_changed(&mut self) {
        self.restart_scan();
        self.stale = true;
        self.search_pending = true;
        // Keeps the old rows for one interval, instead of showing an empty table until the
        // first results arrive.
        self.last_rebuild = Some(Instant::now());
    }

    fn restart_scan(&mut self) {
        self.scan = Scan {
            needle: Needle::new(&self.search).map(Arc::new),
            generation: self.worker.next_generation(),
            ..Scan::default()
        };
    }

    /// Rebuilds the rows on the next frame even if entries are still arriving.
    pub(crate) fn refresh_now(&mut self) {
        self.stale = true;
        self.urgent = true;
    }

    pub(crate) fn conversation(&self) -> Option<usize> {
        self.conversation
    }

    pub(crate) fn set_conversation(&mut self, conversation: Option<usize>) {
        if self.conversation != conversation {
            self.conversation = conversation;
            self.refresh_now();
        }
    }

    pub(crate) fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }

    pub(crate) fn set_kind(&mut self, kind: Option<String>) {
        if self.kind != kind {
            self.kind = kind;
            self.refresh_now();
        }
    }

    pub(crate) fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    pub(crate) fn set_language(&mut self, language: Option<String>) {
        if self.language != language {
            self.language = language;
            self.refresh_now();
        }
    }

    pub(crate) fn sort(&self) -> Sort {
        self.sort
    }

    /// Sorts by `column`. Choosing the current column again reverses the order.
    pub(crate) fn sort_by(&mut self, column: SortColumn) {
        if self.sort.column == column {
            self.sort.ascending = !self.sort.ascending;
        } else {
            self.sort = Sort {
                column,
                ascending: true,
            };
        }
        self.refresh_now();
    }

    /// Visible entries, in sort order.
    pub(crate) fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// Conversations to list in the browser.
    pub(crate) fn conversation_rows(&self) -> &[usize] {
        &self.conversation_rows
    }

    /// Returns the fraction of entries matched while a search is incomplete.
    pub(crate) fn scan_progress(&self, library: &Library) -> Option<f32> {
        let total = library.entries().len();
        let done = self.scan.matches.len();
        (done < total).then(|| done as f32 / total as f32)
    }

    /// Sends new entries to the search worker, takes the results that arrived, and rebuilds
    /// the rows when they are stale. Never waits for the worker.
    ///
    /// Returns the time after which the caller should run another frame, or `None` when
    /// nothing is pending or the worker's results will wake the window.
    pub(crate) fn advance(&mut self, library: &Library) -> Option<Duration> {
        let mut retry = None;
        if !self.submit_new_entries(library) {
            retry = Some(RETRY_SUBMIT);
        }
        self.receive_results();

        if !self.stale {
            return retry;
        }
        let complete = self.scan.matches.len() == library.entries().len();
        let since_rebuild = self
            .last_rebuild
            .map_or(REBUILD_INTERVAL, |at| at.elapsed());
        let due =
            self.urgent || (complete && self.search_pending) || since_rebuild >= REBUILD_INTERVAL;
        if !due {
            let wait = REBUILD_INTERVAL - since_rebuild;
            return Some(retry.map_or(wait, |retry| retry.min(wait)));
        }
        self.rebuild(library, complete);
        retry
    }

    /// Marks new entries as matching, or sends them to the worker when there is a search
    /// text. Returns `false` when the worker's queue was full.
    fn submit_new_entries(&mut self, library: &Library) -> bool {
        let entries = library.entries();
        let first = self.scan.submitted;
        if first == entries.len() {
            return true;
        }
        let Some(needle) = &self.scan.needle else {
            self.scan.matches.resize(entries.len(), true);
            self.scan.submitted = entries.len();
            self.stale = true;
            return true;
        };
        let job = Job {
            generation: self.scan.generation,
            needle: Arc::clone(needle),
            first,
            artifacts: entries[first..]
                .iter()
                .map(|entry| Arc::clone(&entry.artifact))
                .collect(),
        };
        if self.worker.submit(job).is_err() {
            return false;
        }
        self.scan.submitted = entries.len();
        true
    }

    fn receive_results(&mut self) {
        while let Some(chunk) = self.worker.try_recv() {
            // Chunks of an earlier search, or of a library since cleared, are dropped.
            if chunk.generation != self.scan.generation || chunk.first != self.scan.matches.len() {
                continue;
            }
            self.scan.matches.extend(chunk.matches);
            self.stale = true;
        }
    }

    fn passes_filters(&self, entry: &Entry) -> bool {
        let kind_passes = self.kind.as_deref().is_none_or(|kind| kind == entry.kind());
        let language_passes = self
            .language
            .as_deref()
            .is_none_or(|language| entry.language.as_deref() == Some(language));
        kind_passes && language_passes
    }

    /// Rebuilds the rows from the results so far. `complete` is whether all have arrived.
    fn rebuild(&mut self, library: &Library, complete: bool) {
        let entries = library.entries();
        let mut conversation_has_match = vec![false; library.conversations().len()];
        self.rows.clear();
        for (index, entry) in entries.iter().enumerate() {
            let matched = self.scan.matches.get(index) == Some(&true);
            if !matched || !self.passes_filters(entry) {
                continue;
            }
            conversation_has_match[entry.conversation] = true;
            if self
                .conversation
                .is_none_or(|chosen| chosen == entry.conversation)
            {
                self.rows.push(index);
            }
        }
        self.conversation_rows = (0..library.conversations().len())
            .filter(|&index| conversation_has_match[index])
            .collect();

        let sort = self.sort;
        self.rows.sort_by(|&a, &b| {
            let order = compare(library, &entries[a], &entries[b], sort.column).then(a.cmp(&b));
            if sort.ascending {
                order
            } else {
                order.reverse()
            }
        });
        self.stale = false;
        self.urgent = false;
        self.search_pending &= !complete;
        self.last_rebuild = Some(Instant::now());
    }
}

fn compare(library: &Library, a: &Entry, b: &Entry, column: SortColumn) -> Ordering {
    match column {
        SortColumn::Title => a.title_lower.cmp(&b.title_lower),
        SortColumn::Type => a.kind().cmp(b.kind()),
        SortColumn::Language => a.language.cmp(&b.language),
        SortColumn::Versions => a.versions().cmp(&b.versions()),
        SortColumn::Size => a.size.cmp(&b.size),
        SortColumn::Conversation => library
            .conversation_of(a)
            .name_lower
            .cmp(&library.conversation_of(b).name_lower),
        SortColumn::Date => library
            .conversation_of(a)
            .info
            .created_at
            .cmp(&library.conversation_of(b).info.created_at),
    }
}

#[cfg(test)]
mod tests {
    use super::super::library::test_support::conversation;
    use super::*;

    fn library() -> Library {
        let mut library = Library::default();
        library.add(vec![
            conversation(
                "CSV cleanup",
                &[("Cleaner", "import csv"), ("Notes", "plain")],
            ),
            conversation("Rust help", &[("Parser", "fn main() { Ünïcode }")]),
        ]);
        library
    }

    fn filter() -> Filter {
        Filter::new(Arc::new(|| {})).expect("the search worker starts")
    }

    fn searching(text: &str) -> Filter {
        let mut filter = filter();
        filter.search = text.to_owned();
        filter.search_changed();
        filter
    }

    /// Advances the filter until every result arrived and the rows show them.
    fn settle(filter: &mut Filter, library: &Library) {
        let started = Instant::now();
        loop {
            filter.advance(library);
            if filter.scan_progress(library).is_none() && !filter.stale {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the filter did not settle"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn titles(filter: &Filter, library: &Library) -> Vec<String> {
        filter
            .rows()
            .iter()
            .map(|&index| library.entries()[index].title().to_owned())
            .collect()
    }

    #[test]
    fn empty_search_shows_everything() {
        let library = library();
        let mut filter = filter();
        settle(&mut filter, &library);
        assert_eq!(filter.rows().len(), 3);
        assert_eq!(filter.conversation_rows(), [0, 1]);
    }

    #[test]
    fn search_matches_content_ignoring_case() {
        let library = library();
        let mut filter = searching("IMPORT CSV");
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Cleaner"]);
        assert_eq!(filter.conversation_rows(), [0]);
    }

    #[test]
    fn search_matches_non_ascii_content() {
        let library = library();
        let mut filter = searching("üNÏ");
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Parser"]);
    }

    #[test]
    fn conversation_name_match_keeps_all_its_artifacts() {
        let library = library();
        let mut filter = searching("cleanup");
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Cleaner", "Notes"]);
    }

    #[test]
    fn conversation_filter_limits_rows_not_browser() {
        let library = library();
        let mut filter = filter();
        filter.set_conversation(Some(1));
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Parser"]);
        assert_eq!(filter.conversation_rows(), [0, 1]);
    }

    #[test]
    fn sort_by_title_reverses_on_second_click() {
        let library = library();
        let mut filter = filter();
        filter.sort_by(SortColumn::Title);
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Cleaner", "Notes", "Parser"]);
        filter.sort_by(SortColumn::Title);
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Parser", "Notes", "Cleaner"]);
    }

    #[test]
    fn language_filter_drops_other_languages() {
        let library = library();
        let mut filter = filter();
        filter.set_language(Some("rust".to_owned()));
        settle(&mut filter, &library);
        assert!(filter.rows().is_empty());
        assert!(filter.conversation_rows().is_empty());
    }

    #[test]
    fn search_spans_many_worker_chunks() {
        let mut library = Library::default();
        let artifacts: Vec<(String, String)> = (0..5000)
            .map(|index| (format!("T{index}"), format!("body {index}")))
            .collect();
        let borrowed: Vec<(&str, &str)> = artifacts
            .iter()
            .map(|(title, content)| (title.as_str(), content.as_str()))
            .collect();
        library.add(vec![conversation("Big", &borrowed)]);
        let mut filter = searching("body 4999");
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["T4999"]);
    }

    #[test]
    fn new_search_replaces_old_results() {
        let library = library();
        let mut filter = searching("import");
        filter.advance(&library);
        filter.search = "plain".to_owned();
        filter.search_changed();
        settle(&mut filter, &library);
        assert_eq!(titles(&filter, &library), ["Notes"]);
    }
}
