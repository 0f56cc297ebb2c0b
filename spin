#!/usr/bin/env bash
# Launcher: builds the jar on first use (or when sources changed), then runs the CLI offline.
# SPIN_MAVEN_ARGS adds Maven arguments to that build, e.g. SPIN_MAVEN_ARGS='-P !cpu' leaves out the CPU
# natives for a CUDA libtorch named by PYTORCH_LIBRARY_PATH (README, GPU); the environment reaches Java as is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/spin.jar"
stamp="$here/target/.spin-built"
if [[ ! -f "$jar" || ! -f "$stamp" || -n "$(find "$here/src/main" "$here/pom.xml" "$here/deploy/slurm" -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
  echo "spin: building with Maven (first use or sources changed; takes a minute)..." >&2
  log="$(mktemp)"
  if ! (cd "$here" && mvn -q -B -Dstyle.color=never package -DskipTests ${SPIN_MAVEN_ARGS:-}) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "spin: the build failed (Maven's output above)" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
fi
# A fixed, pre-touched heap (-Xms = -Xmx, AlwaysPreTouch): RSS then measures native memory
# only, instead of growing as the heap's pages are first touched. JAVA_OPTS adds or overrides.
# glibc gives each thread that mallocs its own arena (up to 8 per core); native memory freed in
# one is never reused by another, so RSS crept up by ~2% in a 10,000-step soak. Two arenas, as is
# usual for JVMs hosting native libraries; a value the user exported wins.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# tcmalloc (Debian's libtcmalloc-minimal4) as the allocator where it is installed, as PyTorch's CPU
# tuning guide advises: libtorch allocates and frees every operator's output, and glibc's aligned
# allocations and consolidation made a batch-1 ConvMixer forward pass 1.2-1.4x slower (README, batch 1);
# training steps are within the noise either way. SPIN_MALLOC=glibc keeps glibc's malloc.
if [[ "${SPIN_MALLOC:-}" != glibc ]]; then
  for tc in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4; do
    if [[ -f "$tc" ]]; then
      [[ ":${LD_PRELOAD:-}:" == *":$tc:"* ]] || export LD_PRELOAD="$tc${LD_PRELOAD:+:$LD_PRELOAD}"
      # it would print a line on stderr for every allocation over 1 GiB
      export TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD="${TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD:-1099511627776}"
      break
    fi
  done
fi
# where this checkout is, for the scripts spin writes that run ./spin again (spin sweep --emit-sbatch)
export SPIN_HOME="$here"
exec java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC -Dai.djl.offline=true ${JAVA_OPTS:-} \
  -cp "$jar:$here/target/lib/*" org.spin.cli.Main "$@"
