//! The artifacts selected in the table, and the one that the preview shows.

use std::collections::BTreeSet;

/// Selected entries, by index into the library's entries.
#[derive(Debug, Default)]
pub(crate) struct Selection {
    selected: BTreeSet<usize>,
    /// The entry that Shift+click extends a range from.
    anchor: Option<usize>,
    /// The entry shown in the preview: the one clicked last.
    focused: Option<usize>,
}

/// The modifier keys held while a row was clicked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ClickModifiers {
    /// Ctrl, or Cmd on macOS: add or remove one row.
    pub(crate) toggle: bool,
    /// Shift: select the range from the anchor.
    pub(crate) range: bool,
}

impl Selection {
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }

    pub(crate) fn is_selected(&self, entry: usize) -> bool {
        self.selected.contains(&entry)
    }

    pub(crate) fn focused(&self) -> Option<usize> {
        self.focused
    }

    pub(crate) fn len(&self) -> usize {
        self.selected.len()
    }

    /// Selected entries in index order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = usize> + '_ {
        self.selected.iter().copied()
    }

    /// Applies a click on `entry`; `rows` are the visible entries in table order.
    pub(crate) fn click(&mut self, entry: usize, modifiers: ClickModifiers, rows: &[usize]) {
        self.focused = Some(entry);
        if modifiers.range
            && let Some(range) = self
                .anchor
                .and_then(|anchor| row_range(rows, anchor, entry))
        {
            if !modifiers.toggle {
                self.selected.clear();
            }
            self.selected.extend(range);
            return;
        }
        if modifiers.toggle {
            if !self.selected.remove(&entry) {
                self.selected.insert(entry);
            }
        } else {
            self.selected.clear();
            self.selected.insert(entry);
        }
        self.anchor = Some(entry);
    }

    /// Selects every visible row.
    pub(crate) fn select_all(&mut self, rows: &[usize]) {
        self.selected = rows.iter().copied().collect();
        if self.focused.is_none() {
            self.focused = rows.first().copied();
        }
    }
}

/// Returns the entries between `from` and `to` inclusive, in table order.
fn row_range(rows: &[usize], from: usize, to: usize) -> Option<Vec<usize>> {
    let start = rows.iter().position(|&entry| entry == from)?;
    let end = rows.iter().position(|&entry| entry == to)?;
    let (low, high) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    Some(rows[low..=high].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: [usize; 5] = [4, 2, 0, 3, 1];
    const PLAIN: ClickModifiers = ClickModifiers {
        toggle: false,
        range: false,
    };
    const TOGGLE: ClickModifiers = ClickModifiers {
        toggle: true,
        range: false,
    };
    const RANGE: ClickModifiers = ClickModifiers {
        toggle: false,
        range: true,
    };

    #[test]
    fn plain_click_selects_one() {
        let mut selection = Selection::default();
        selection.click(2, PLAIN, &ROWS);
        selection.click(3, PLAIN, &ROWS);
        assert_eq!(selection.entries().collect::<Vec<_>>(), [3]);
        assert_eq!(selection.focused(), Some(3));
    }

    #[test]
    fn toggle_click_adds_and_removes() {
        let mut selection = Selection::default();
        selection.click(2, PLAIN, &ROWS);
        selection.click(3, TOGGLE, &ROWS);
        assert_eq!(selection.len(), 2);
        selection.click(2, TOGGLE, &ROWS);
        assert_eq!(selection.entries().collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn range_click_follows_table_order() {
        let mut selection = Selection::default();
        selection.click(2, PLAIN, &ROWS);
        selection.click(1, RANGE, &ROWS);
        assert_eq!(selection.entries().collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert!(!selection.is_selected(4));
    }

    #[test]
    fn select_all_focuses_first_row() {
        let mut selection = Selection::default();
        selection.select_all(&ROWS);
        assert_eq!(selection.len(), 5);
        assert_eq!(selection.focused(), Some(4));
    }
}
