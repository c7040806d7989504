#!/usr/bin/env bash
# The workbook's one entry point. On a fresh Debian machine with Python and root
# it installs what the project needs and then does the job:
#
#   bash run.sh report [tekun batch options]    set up, render every report of the bundled month
#   bash run.sh test   [pytest options]         set up, run the test suite
#   bash run.sh lab    [jupyter lab options]    set up, start JupyterLab in the project (saves strip outputs)
#   bash run.sh setup                           set up only
#
# Set-up is idempotent and quick when nothing changed: Debian packages are
# installed only when missing, the virtual environment (.venv, or $TEKUN_VENV)
# is reinstalled only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")"

VENV=${TEKUN_VENV:-.venv}
# chromium-headless-shell prints the PDFs (Chromium without its windowing layers: faster, same pages)
DEBIAN_PACKAGES=(chromium-headless-shell fonts-noto-cjk poppler-utils)
# where the package sources do not have a package, what to install instead (older releases: the full browser)
declare -A PACKAGE_FALLBACK=([chromium-headless-shell]=chromium)
# only for `run.sh test`: a test opens a returned feedback copy in a real spreadsheet program (large: not for report)
TEST_DEBIAN_PACKAGES=(libreoffice-calc-nogui)

say() { printf '[tekun] %s\n' "$*" >&2; }

install_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "缺少系统软件包：${missing[*]}，且本机没有 apt-get，请手工安装后重试。"
    exit 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "需要 root 权限安装系统软件包：${missing[*]}"; exit 1
    fi
  fi
  say "安装系统软件包：${missing[*]}"
  # apt-get's own output (English notices such as debconf's) is shown only when a step fails
  local log
  log=$(mktemp)
  apt_step() {
    if ! "$@" >>"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      say "安装系统软件包失败：${missing[*]}（原因见上面 apt-get 的输出）"
      exit 1
    fi
  }
  apt_step $sudo apt-get update -qq
  local wanted=() pkg alt
  for pkg in "${missing[@]}"; do
    alt=${PACKAGE_FALLBACK[$pkg]:-}
    if [ -n "$alt" ] && ! apt-cache show "$pkg" >/dev/null 2>&1; then
      say "软件源中没有 $pkg，改用 $alt"
      dpkg -s "$alt" >/dev/null 2>&1 && continue
      pkg=$alt
    fi
    wanted+=("$pkg")
  done
  if [ ${#wanted[@]} -gt 0 ]; then
    apt_step $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}"
  fi
  rm -f "$log"
}

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "创建虚拟环境 $VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      # Debian's own python3 ships venv separately.
      install_debian_packages python3-venv
      python3 -m venv "$VENV"
    fi
  fi
  local stamp="$VENV/.tekun-installed"
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "安装 Python 依赖（pip install -e .[test]）"
    # pip's own output (setuptools' English warnings about editable installs, a machine's notices about its
    # package indexes) is shown only when the installation fails
    local log
    log=$(mktemp)
    if ! { { "$VENV/bin/python" -m pip install -q --upgrade pip || true; } &&     # an old pip still installs
           "$VENV/bin/python" -m pip install -q -e ".[test]" &&
           "$VENV/bin/python" -c "import tekun_helpers, papermill, nbconvert, playwright, msoffcrypto"; } >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      say "Python 依赖安装失败（原因见上面 pip 的输出）"
      exit 1
    fi
    rm -f "$log"
    echo "$want" > "$stamp"
  fi
}

setup() {
  install_debian_packages "${DEBIAN_PACKAGES[@]}"
  setup_venv
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup)
    setup ;;
  report)
    setup
    if [ $# -eq 0 ]; then set -- --months 2023-08 --scope all; fi
    "$VENV/bin/tekun" batch "$@" ;;
  test)
    setup
    install_debian_packages "${TEST_DEBIAN_PACKAGES[@]}"
    "$VENV/bin/python" -m pytest "$@" ;;
  lab)
    setup
    # jupyter_config/jupyter_server_config.json: every notebook saved is stripped of outputs and volatile metadata
    export JUPYTER_CONFIG_PATH="$PWD/jupyter_config${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
    # jupyter_config/lab_settings/overrides.json: the interface in Simplified Chinese (jupyterlab-language-pack-zh-cn)
    # by default; a language the analyst picks in 设置 → 语言 is kept in their own user settings and wins
    if [[ " $* " != *"app_settings_dir"* ]]; then set -- "--LabApp.app_settings_dir=$PWD/jupyter_config/lab_settings" "$@"; fi
    # Jupyter refuses to run as root without --allow-root; the analyst should not have to know
    if [ "$(id -u)" = 0 ] && [[ " $* " != *" --allow-root "* ]]; then set -- --allow-root "$@"; fi
    exec "$VENV/bin/jupyter" lab "$@" ;;
  *)
    echo "用法: bash run.sh report|test|lab|setup [参数...]" >&2
    exit 2 ;;
esac
