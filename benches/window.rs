//! Frame times of the window's artifact table with 50,000 artifacts loaded.
//!
//! The real app runs in `egui_kittest`, without a display: each frame is egui's pass over the
//! app (input, layout, the shapes to paint), not the painting itself. The bench writes an
//! export of one artifact per conversation, loads it through the coordinator as the window
//! does, then scrolls the table three lines per frame from top to bottom and back. It ends
//! with one line, in milliseconds:
//! `window: artifacts=N frames=F p50_ms=X p99_ms=Y max_ms=Z over_16ms=K`.
//! `over_16ms` counts the frames that took longer than one frame at 60 Hz.
//!
//! ```sh
//! cargo bench --bench window
//! ARTIFACTS=100000 cargo bench --bench window
//! ```

#[path = "../tests/gui/support.rs"]
#[expect(
    dead_code,
    reason = "the bench uses a few of the window tests' helpers"
)]
mod support;

use std::time::{Duration, Instant};

use egui::Modifiers;
use egui_kittest::kittest::Queryable;
use support::{Window, write_large_export};

/// Frames scrolled in each direction.
const FRAMES: usize = 400;
/// One frame at 60 Hz.
const FRAME_BUDGET: Duration = Duration::from_micros(16_667);

fn main() {
    let artifacts = std::env::var("ARTIFACTS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(50_000);
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), artifacts);

    let started = Instant::now();
    let mut window = Window::open(Some(export), None);
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();
    let loaded = started.elapsed();
    let (_, total, _) = window.table_counts();
    assert_eq!(total, artifacts, "every artifact is listed");

    let first_row = window.harness.get_by_label("Note 0").rect().center();
    window.harness.hover_at(first_row);
    window.harness.step();

    let mut frames = Vec::with_capacity(2 * FRAMES);
    for direction in [-1.0, 1.0] {
        for _ in 0..FRAMES {
            let frame = Instant::now();
            window.harness.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Line,
                delta: egui::vec2(0.0, 3.0 * direction),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: Modifiers::NONE,
            });
            window.harness.step();
            frames.push(frame.elapsed());
        }
        if direction < 0.0 {
            assert!(
                window.harness.query_by_label("Note 0").is_none(),
                "the table scrolled away from the first row"
            );
        }
    }

    frames.sort_unstable();
    let percentile = |p: f64| {
        let index = ((frames.len() as f64 - 1.0) * p).round() as usize;
        frames[index].as_secs_f64() * 1e3
    };
    let over = frames.iter().filter(|&&frame| frame > FRAME_BUDGET).count();
    eprintln!(
        "loaded {artifacts} artifacts in {:.2} s",
        loaded.as_secs_f64()
    );
    println!(
        "window: artifacts={artifacts} frames={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} over_16ms={over}",
        frames.len(),
        percentile(0.50),
        percentile(0.99),
        percentile(1.0),
    );
}
