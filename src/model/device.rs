//! `--device auto|cpu|cuda[:N]`, and making sure CUDA is really there when asked for.

use anyhow::{bail, Result};
use tch::Device;

/// Parses a device flag. `auto` picks the first GPU when libtorch can use one.
pub fn parse(spec: &str) -> Result<Device> {
    match spec {
        "cpu" => Ok(Device::Cpu),
        "auto" => Ok(if load_cuda().is_ok() && tch::Cuda::is_available() {
            Device::Cuda(0)
        } else {
            Device::Cpu
        }),
        _ => {
            let index = match spec.strip_prefix("cuda") {
                Some("") => 0,
                Some(rest) => match rest.strip_prefix(':').and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) => n,
                    None => bail!("--device {spec}: expected auto, cpu, cuda or cuda:N"),
                },
                None => bail!("--device {spec}: expected auto, cpu, cuda or cuda:N"),
            };
            if let Err(why) = load_cuda() {
                bail!("--device {spec}: this libtorch has no usable CUDA support ({why}); use --device cpu or run on a GPU machine with a CUDA libtorch")
            }
            let count = tch::Cuda::device_count() as usize;
            if count == 0 {
                bail!("--device {spec}: no CUDA GPU is visible; use --device cpu or auto");
            }
            if index >= count {
                bail!(
                    "--device {spec}: only {count} CUDA device(s) are visible (cuda:0..cuda:{})",
                    count - 1
                );
            }
            Ok(Device::Cuda(index))
        }
    }
}

/// Loads libtorch's CUDA half. The linker drops `libtorch_cuda.so` from the binary
/// (nothing references it by symbol), and without it libtorch reports no GPU.
/// Loading it at run time keeps the same binary working on machines without CUDA.
fn load_cuda() -> std::result::Result<(), String> {
    // SAFETY: dlopen/dlerror with a valid C string; the handle is kept for the process.
    unsafe {
        let handle = libc::dlopen(c"libtorch_cuda.so".as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL);
        if handle.is_null() {
            let err = libc::dlerror();
            if err.is_null() {
                return Err("libtorch_cuda.so could not be loaded".into());
            }
            return Err(std::ffi::CStr::from_ptr(err).to_string_lossy().into_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn rejects_bad_specs_with_the_spec_in_the_message() {
        for spec in ["gpu", "cuda:x", "cuda0"] {
            let err = super::parse(spec).unwrap_err().to_string();
            assert!(err.contains(spec), "{err}");
        }
        assert_eq!(super::parse("cpu").unwrap(), tch::Device::Cpu);
    }
}
