//! What a long run shows while it works: a progress bar (documents/s, word pieces/s,
//! ETA) on a terminal, a plain log line every so often when stderr is a file. Before
//! the first chunk commits (the model's first pass can take a while), the bar counts the
//! documents read ([`Reading`]).

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
    /// Documents read so far (resumed ones included), by the reading thread.
    read: Arc<AtomicU64>,
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
            let bar = ProgressBar::new(0);
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        Progress::with_bar(bar, resumed, total, every)
    }

    fn with_bar(bar: Option<ProgressBar>, resumed: u64, total: Arc<AtomicU64>, every: Duration) -> Progress {
        if let Some(bar) = &bar {
            let style = ProgressStyle::with_template(
                "{elapsed_precise} {wide_bar} {pos}/{len} docs ({prefix})  {msg}  ETA {eta}",
            )
            .expect("a valid template");
            bar.set_style(style);
            bar.set_position(resumed);
            bar.set_prefix(format!("{resumed} read"));
        }
        let now = Instant::now();
        let read = Arc::new(AtomicU64::new(resumed));
        Progress {
            bar,
            total,
            read,
            started: now,
            last_log: now,
            every,
            resumed,
            docs: 0,
            failed: 0,
            pieces: 0,
        }
    }

    /// The counter the reading thread advances.
    pub fn reading(&self) -> Reading {
        Reading {
            bar: self.bar.clone(),
            total: self.total.clone(),
            read: self.read.clone(),
            logged: false,
        }
    }

    /// The bar's length: the expected total once counted, at least what was read.
    fn length(&self) -> u64 {
        self.total
            .load(Ordering::Relaxed)
            .max(self.read.load(Ordering::Relaxed))
    }

    /// Counts a committed chunk.
    pub fn add(&mut self, docs: u64, failed: u64, pieces: u64) {
        self.docs += docs;
        self.failed += failed;
        self.pieces += pieces;
        let total = self.total.load(Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.set_length(self.length().max(self.resumed + self.docs));
                bar.set_position(self.resumed + self.docs);
                bar.set_message(self.rates());
            }
            None if self.last_log.elapsed() >= self.every => {
                self.last_log = Instant::now();
                eprintln!(
                    "annalist batch: {} docs{}, {}{}",
                    self.resumed + self.docs,
                    self.of_total(total),
                    self.rates(),
                    self.eta(total)
                );
            }
            None => {}
        }
    }

    /// Ends the bar and prints the summary line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let resumed = if self.resumed > 0 {
            format!(" (after {} done before --resume)", self.resumed)
        } else {
            String::new()
        };
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
        format!(
            " of ~{total} ({:.1}%)",
            100.0 * (self.resumed + self.docs) as f64 / total as f64
        )
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

/// The reading side of [`Progress`], for the thread that reads documents.
pub struct Reading {
    bar: Option<ProgressBar>,
    total: Arc<AtomicU64>,
    read: Arc<AtomicU64>,
    logged: bool,
}

impl Reading {
    /// Counts one document read.
    pub fn add(&self) {
        let read = self.read.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.set_prefix(format!("{read} read"));
            bar.set_length(self.total.load(Ordering::Relaxed).max(read));
        }
    }

    /// Says, once and in the log only, that a chunk is read and goes to the model.
    pub fn chunk_read(&mut self) {
        if self.bar.is_none() && !self.logged {
            self.logged = true;
            eprintln!(
                "annalist batch: {} docs read, the first chunk is in the model",
                self.read.load(Ordering::Relaxed)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_counts_documents_read_before_any_commit() {
        let bar = ProgressBar::hidden();
        let progress = Progress::with_bar(
            Some(bar.clone()),
            2,
            Arc::new(AtomicU64::new(0)),
            Duration::from_secs(1),
        );
        let reading = progress.reading();
        for _ in 0..5 {
            reading.add();
        }
        assert_eq!(
            (bar.prefix(), bar.length(), bar.position()),
            ("7 read".to_string(), Some(7), 2)
        );
        progress.total.store(40, Ordering::Relaxed);
        reading.add();
        assert_eq!(bar.length(), Some(40), "the counted total, once known");
    }
}
