import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The verifiers every disc carries in `verify/`, for whoever holds the disc and not the station:
 * a court, a review body, an archive years later. Standard tools only: `sha256sum` or
 * `shasum -a 256` and OpenSSL 3 in `verify.sh` (Linux; macOS with OpenSSL 3 installed);
 * `Get-FileHash` in `verify.ps1` (Windows PowerShell 5 and later). Each prints PASS or FAIL a
 * file, EXTRA for a file the list leaves out, then a total. Only verify.sh can check the
 * signatures, so only it exits 0, and only when every file and every signature passed.
 */
export const VERIFY_SH = `#!/bin/sh
# Checks this disc with standard tools: every file against MANIFEST.sha256, no file on the
# disc left out of it, and the SM2 and Ed25519 signatures of MANIFEST.json and MANIFEST.sha256
# with the public keys in keys/ (OpenSSL 3). Compare the key fingerprints it prints with the ones
# your unit publishes: anyone can sign with keys of their own.
# Run it from anywhere: sh verify/verify.sh
cd "$(dirname "$0")/.." || exit 2
if command -v sha256sum >/dev/null 2>&1; then digest() { sha256sum -- "$1"; }
elif command -v shasum >/dev/null 2>&1; then digest() { shasum -a 256 -- "$1"; }
else printf '%s\\n' "NOT CHECKED: neither sha256sum nor shasum is installed"; exit 2; fi

pass=0
fail=0
listed=$(mktemp) || exit 2
trap 'rm -f "$listed"' EXIT
while IFS= read -r line || [ -n "$line" ]; do
  [ -z "$line" ] && continue
  want=\${line%%"  "*}
  file=\${line#*"  "}
  case "$want" in
    *[!0-9a-f]*|"") ok=no ;;
    *) [ \${#want} -eq 64 ] && ok=yes || ok=no ;;
  esac
  case "$file" in
    /*|../*|*/../*|*/..|..|"") ok=no ;;
  esac
  got=
  [ "$ok" = yes ] && [ -f "./$file" ] && [ ! -L "./$file" ] && got=$(digest "./$file" 2>/dev/null | cut -c1-64)
  if [ "$ok" = yes ] && [ "$got" = "$want" ]; then
    printf 'PASS  %s\\n' "$file"
    pass=$((pass + 1))
  else
    printf 'FAIL  %s\\n' "$file"
    fail=$((fail + 1))
  fi
  printf '%s\\n' "./$file" >> "$listed"
done < MANIFEST.sha256

# A file on the disc that the list leaves out is not proven by it (the lists and their signatures
# are the only files the lists cannot name).
find . ! -type d | while IFS= read -r found; do
  case "$found" in
    ./MANIFEST.sha256|./MANIFEST.sha256.sm2|./MANIFEST.sha256.ed25519) continue ;;
    ./MANIFEST.sm3|./MANIFEST.sm3.sm2|./MANIFEST.sm3.ed25519) continue ;;
  esac
  grep -qxF -- "$found" "$listed" || printf 'EXTRA  %s\\n' "\${found#./}"
done > "$listed.extra"
extra=$(grep -c '' "$listed.extra")
cat "$listed.extra"
rm -f "$listed.extra"
fail=$((fail + extra))

signatures="NOT CHECKED (needs OpenSSL 3)"
checked=no
case "$(openssl version 2>/dev/null)" in
  "OpenSSL 3"*)
    checked=yes
    signatures=
    for signed in MANIFEST.json MANIFEST.sha256; do
      if openssl pkeyutl -verify -pubin -inkey keys/ed25519.pub.pem -rawin \\
           -in "$signed" -sigfile "$signed.ed25519" >/dev/null 2>&1; then ed=PASS; else ed=FAIL; fi
      if openssl pkeyutl -verify -pubin -inkey keys/sm2.pub.pem -rawin -digest sm3 \\
           -pkeyopt distid:1234567812345678 -in "$signed" -sigfile "$signed.sm2" >/dev/null 2>&1; then sm=PASS; else sm=FAIL; fi
      [ "$ed" = PASS ] && [ "$sm" = PASS ] || fail=$((fail + 1))
      signatures="$signatures $signed: Ed25519 $ed, SM2 $sm;"
    done
    sm2=$(openssl pkey -pubin -in keys/sm2.pub.pem -outform DER 2>/dev/null | digest - | cut -c1-64)
    ed25519=$(openssl pkey -pubin -in keys/ed25519.pub.pem -outform DER 2>/dev/null | digest - | cut -c1-64)
    printf 'KEYS  SM2 %s  Ed25519 %s (SHA-256): compare with the fingerprints your unit publishes\\n' "$sm2" "$ed25519"
    ;;
esac
printf 'SIGNATURES %s\\n' "$signatures"
printf 'TOTAL  %s passed, %s failed\\n' "$pass" "$fail"
if [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && [ "$checked" = yes ]; then exit 0; else exit 1; fi
`;

export const VERIFY_PS1 = `# Checks this disc with standard tools: every file against MANIFEST.sha256, and no file on
# the disc left out of it. The signatures need OpenSSL 3: see verify.sh or README.pdf.
# Run it from anywhere: powershell -ExecutionPolicy Bypass -File verify\\verify.ps1
$root = Split-Path -Parent $PSScriptRoot
$pass = 0
$fail = 0
$listed = @{}
foreach ($line in [System.IO.File]::ReadAllLines((Join-Path $root 'MANIFEST.sha256'), [System.Text.Encoding]::UTF8)) {
  if ($line -eq '') { continue }
  if ($line -notmatch '^([0-9a-f]{64})  (.+)$' -or $Matches[2] -match '(^|/)\\.\\.(/|$)' -or $Matches[2].StartsWith('/')) {
    Write-Output "FAIL  $line"; $fail++; continue
  }
  $want = $Matches[1]
  $file = $Matches[2]
  $path = Join-Path $root ($file -replace '/', '\\')
  $listed[$path.ToLowerInvariant()] = $true
  $got = ''
  if (Test-Path -LiteralPath $path -PathType Leaf) { $got = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant() }
  if ($got -eq $want) { Write-Output "PASS  $file"; $pass++ } else { Write-Output "FAIL  $file"; $fail++ }
}
$lists = @('MANIFEST.sha256', 'MANIFEST.sha256.sm2', 'MANIFEST.sha256.ed25519', 'MANIFEST.sm3', 'MANIFEST.sm3.sm2', 'MANIFEST.sm3.ed25519') | ForEach-Object { (Join-Path $root $_).ToLowerInvariant() }
foreach ($found in Get-ChildItem -LiteralPath $root -Recurse -Force | Where-Object { -not $_.PSIsContainer }) {
  $name = $found.FullName.ToLowerInvariant()
  if (-not $listed.ContainsKey($name) -and -not ($lists -contains $name)) { Write-Output "EXTRA  $($found.FullName)"; $fail++ }
}
Write-Output "SIGNATURES NOT CHECKED (needs OpenSSL 3, see verify.sh)"
Write-Output "TOTAL  $pass passed, $fail failed"
exit 1
`;

/** Writes both verifiers into a staged disc's `verify/`. */
export async function writeVerifiers(staged: string): Promise<void> {
  await mkdir(join(staged, 'verify'), { recursive: true });
  await writeFile(join(staged, 'verify', 'verify.sh'), VERIFY_SH);
  await chmod(join(staged, 'verify', 'verify.sh'), 0o755);
  // CRLF: Notepad and older PowerShell hosts read it as written.
  await writeFile(join(staged, 'verify', 'verify.ps1'), VERIFY_PS1.replace(/\n/g, '\r\n'));
}
