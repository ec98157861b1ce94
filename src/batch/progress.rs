//! What a long run shows while it works: a progress bar (documents/s, word pieces/s,
//! ETA) on a terminal, a plain log line every so often when stderr is a file.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// Documents expected in all (this run's share, resumed ones included); 0 while
    /// unknown. Filled in by a counting thread.
    total: Arc<AtomicU64>,
    started: Instant,
    last_log: Instant,
    every: Duration,
    /// Done before this process started (resumed).
    resumed: u64,
    docs: u64,
    failed: u64,
    pieces: u64,
}

impl Progress {
    /// A bar when stderr is a terminal, else a log line every `every`.
    pub fn new(resumed: u64, total: Arc<AtomicU64>, every: Duration) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0).with_position(resumed);
            let style = ProgressStyle::with_template("{elapsed_precise} {wide_bar} {pos}/{len} docs  {msg}  ETA {eta}")
                .expect("a valid template");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        let now = Instant::now();
        Progress { bar, total, started: now, last_log: now, every, resumed, docs: 0, failed: 0, pieces: 0 }
    }

    /// Counts a committed chunk.
    pub fn add(&mut self, docs: u64, failed: u64, pieces: u64) {
        self.docs += docs;
        self.failed += failed;
        self.pieces += pieces;
        let total = self.total.load(Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.set_length(total.max(self.resumed + self.docs));
                bar.set_position(self.resumed + self.docs);
                bar.set_message(self.rates());
            }
            None if self.last_log.elapsed() >= self.every => {
                self.last_log = Instant::now();
                eprintln!("annalist batch: {} docs{}, {}{}", self.resumed + self.docs, self.of_total(total), self.rates(), self.eta(total));
            }
            None => {}
        }
    }

    /// Ends the bar and prints the summary line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let resumed = if self.resumed > 0 { format!(" (after {} done before --resume)", self.resumed) } else { String::new() };
        eprintln!(
            "annalist batch: {} docs in {:.1} s{resumed}, {}",
            self.docs,
            self.started.elapsed().as_secs_f64(),
            self.rates()
        );
    }

    fn rates(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        format!(
            "{:.1} docs/s, {:.0} word pieces/s, {} failed",
            self.docs as f64 / secs,
            self.pieces as f64 / secs,
            self.failed
        )
    }

    fn of_total(&self, total: u64) -> String {
        if total == 0 {
            return String::new();
        }
        format!(" of ~{total} ({:.1}%)", 100.0 * (self.resumed + self.docs) as f64 / total as f64)
    }

    fn eta(&self, total: u64) -> String {
        let left = total.saturating_sub(self.resumed + self.docs);
        if total == 0 || self.docs == 0 {
            return String::new();
        }
        let secs = self.started.elapsed().as_secs_f64() / self.docs as f64 * left as f64;
        format!(", ETA {}", indicatif::HumanDuration(Duration::from_secs_f64(secs)))
    }
}
