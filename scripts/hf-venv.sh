# shellcheck shell=bash
# Sourced (not run) by the scripts that need Python `transformers`:
#   . scripts/hf-venv.sh; hf_venv DIR
# makes DIR a venv with `transformers` and `tokenizers` from PyPI and torch reused from
# the venv scripts/setup.sh made (reused as is when DIR already has one), and exports
# LD_LIBRARY_PATH so that `DIR/bin/python -c 'import torch'` works.
hf_venv() {
  local venv=$1 cache=${ANNALIST_CACHE:-$HOME/.cache/annalist}
  local torch_venv=$cache/torch-2.11.0 purelib='import sysconfig; print(sysconfig.get_paths()["purelib"])'
  [ -x "$torch_venv/bin/python" ] || { echo "hf-venv: no $torch_venv; run scripts/setup.sh first" >&2; return 1; }
  if [ ! -x "$venv/bin/python" ]; then
    "$torch_venv/bin/python" -m venv "$venv"
    # torch itself comes from setup.sh's venv (installed there with --no-deps).
    "$torch_venv/bin/python" -c "$purelib" >"$("$venv/bin/python" -c "$purelib")/annalist-torch.pth"
    "$venv/bin/pip" install -q --no-warn-conflicts transformers==5.23.0 tokenizers==0.23.3 safetensors==0.8.0 \
      numpy typing_extensions sympy networkx jinja2 filelock fsspec
  fi

  # setup.sh's torch is the CUDA wheel without its NVIDIA libraries (annalist's
  # libtorch_cpu needs none of them), but Python's torch._C links cuDNN, cuBLAS, NCCL...
  # On a machine without them, link against stubs that define their symbols (never
  # called: everything here runs on the CPU).
  "$venv/bin/python" -c 'import torch' 2>/dev/null && return
  local stubs=$venv/cuda-stubs
  if [ ! -f "$stubs/.done" ]; then
    "$venv/bin/python" - "$("$torch_venv/bin/python" -c "$purelib")/torch" "$stubs" <<'EOF' || return
import collections, glob, os, re, subprocess, sys
torch_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
libs = glob.glob(torch_dir + "/lib/*.so") + glob.glob(torch_dir + "/_C*.so")
missing = set()
for f in libs:
    r = subprocess.run(["ldd", f], capture_output=True, text=True, env={**os.environ, "LD_LIBRARY_PATH": out})
    missing |= {l.split()[0] for l in r.stdout.splitlines() if "not found" in l}
needs = collections.defaultdict(set)  # library -> symbol versions asked of it
syms = collections.defaultdict(set)   # version ("Base": none) -> undefined symbols
for f in libs:
    cur = None
    for l in subprocess.run(["readelf", "-V", "-W", f], capture_output=True, text=True).stdout.splitlines():
        if m := re.search(r"File: (\S+)", l):
            cur = m.group(1)
        elif (m := re.search(r"Name: (\S+)", l)) and cur in missing:
            needs[cur].add(m.group(1))
    for l in subprocess.run(["objdump", "-T", f], capture_output=True, text=True).stdout.splitlines():
        if m := re.search(r"\*UND\*\s+\S+\s+(?:\((\S+)\)|(\S+))\s+(\S+)$", l):
            syms[m.group(1) or m.group(2)].add(m.group(3))
# Unversioned libraries: claim their symbols by prefix.
prefix = {"libcusparseLt.so.0": "cusparseLt", "libnccl.so.2": "nccl", "libcurand.so.10": "curand",
          "libcufile.so.0": "cuFile", "libcuda.so.1": "cu[A-Z]"}
for lib in sorted(missing):
    versions = sorted(needs[lib])
    names = {s for v in versions for s in syms[v]}
    if not versions and lib in prefix:
        names = {s for s in syms["Base"] if re.match(prefix[lib], s)}
        if lib != "libcusparseLt.so.0":
            names = {s for s in names if not s.startswith("cusparseLt")}
    names = sorted(s for s in names if re.fullmatch(r"[A-Za-z_]\w*", s))
    with open(f"{out}/{lib}.c", "w") as c:
        c.write("".join(f"int {s}(void) {{ return 999; }}\n" for s in names) + "int annalist_cuda_stub(void) { return 0; }\n")
    args = ["cc", "-shared", "-fPIC", "-o", f"{out}/{lib}", f"-Wl,-soname,{lib}", f"{out}/{lib}.c"]
    if versions:
        with open(f"{out}/{lib}.map", "w") as m:
            m.write("".join(f"{v} {{ global: {''.join(s + '; ' for s in sorted(syms[v]))} }};\n" for v in versions))
        args.append(f"-Wl,--version-script={out}/{lib}.map")
    subprocess.run(args, check=True)
EOF
    touch "$stubs/.done"
  fi
  export LD_LIBRARY_PATH=$stubs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  "$venv/bin/python" -c 'import torch' || { echo "hf-venv: torch does not import, even with CUDA stubs" >&2; return 1; }
}
