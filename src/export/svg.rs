//! SVG through Graphviz's `dot`, when it is installed.

use anyhow::{bail, Context};
use std::io::Write;
use std::process::{Command, Stdio};

/// Renders DOT source to SVG with the `dot` program on the PATH.
pub fn render_svg(dot: &str) -> anyhow::Result<String> {
    let mut child = match Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "SVG needs Graphviz's `dot` program, which is not on the PATH: install Graphviz \
             (`apt-get install graphviz`, `brew install graphviz`, or https://graphviz.org/download/), \
             or write DOT with --dot and render it elsewhere"
        ),
        Err(e) => return Err(e).context("starting Graphviz `dot`"),
    };
    // Write from another thread: `dot` may fill its stdout before reading all its input.
    let mut stdin = child.stdin.take().context("dot stdin")?;
    let input = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().context("running Graphviz `dot`")?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to `dot` panicked"))?
        .context("writing to `dot`")?;
    if !out.status.success() {
        bail!(
            "Graphviz `dot` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).context("`dot` wrote non-UTF-8 SVG")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_or_names_the_missing_program() {
        match render_svg("digraph { a -> b }") {
            Ok(svg) => assert!(svg.contains("<svg"), "{svg}"),
            Err(e) => assert!(e.to_string().contains("Graphviz"), "{e:#}"),
        }
    }
}
