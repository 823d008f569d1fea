import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The verifiers every disc carries in `verify/`, for whoever holds the disc and not the station:
 * a court, a review body, an archive years later. Standard tools only: `sha256sum` or
 * `shasum -a 256` and OpenSSL 3 in `verify.sh` (Linux, macOS); `Get-FileHash` in `verify.ps1`
 * (Windows PowerShell 5 and later). Each prints PASS or FAIL a file, then a total, and exits 0
 * only when every file passed.
 */
export const VERIFY_SH = `#!/bin/sh
# Checks this disc with standard tools: every original against MANIFEST.sha256, and the
# manifest's Ed25519 and SM2 signatures with the public keys in keys/ (OpenSSL 3).
# Run it from anywhere: sh verify/verify.sh
cd "$(dirname "$0")/.." || exit 2
if command -v sha256sum >/dev/null 2>&1; then digest() { sha256sum "$1"; }
elif command -v shasum >/dev/null 2>&1; then digest() { shasum -a 256 "$1"; }
else echo "NOT CHECKED: neither sha256sum nor shasum is installed"; exit 2; fi

pass=0
fail=0
while IFS= read -r line || [ -n "$line" ]; do
  [ -z "$line" ] && continue
  want=\${line%%"  "*}
  file=\${line#*"  "}
  got=$(digest "$file" 2>/dev/null | cut -c1-64)
  if [ "$got" = "$want" ]; then
    echo "PASS  $file"
    pass=$((pass + 1))
  else
    echo "FAIL  $file"
    fail=$((fail + 1))
  fi
done < MANIFEST.sha256

signatures="NOT CHECKED (OpenSSL 3 not found)"
if command -v openssl >/dev/null 2>&1; then
  if openssl pkeyutl -verify -pubin -inkey keys/ed25519.pub.pem -rawin \\
       -in MANIFEST.json -sigfile MANIFEST.json.ed25519 >/dev/null 2>&1 &&
     openssl pkeyutl -verify -pubin -inkey keys/sm2.pub.pem -rawin -digest sm3 \\
       -pkeyopt distid:1234567812345678 -in MANIFEST.json -sigfile MANIFEST.json.sm2 >/dev/null 2>&1
  then
    signatures="PASS (Ed25519 and SM2)"
  else
    signatures="FAIL"
    fail=$((fail + 1))
  fi
fi
echo "SIGNATURES  $signatures"
echo "TOTAL  $pass passed, $fail failed"
if [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]; then exit 0; else exit 1; fi
`;

export const VERIFY_PS1 = `# Checks this disc with standard tools: every original against MANIFEST.sha256.
# The manifest's signatures need OpenSSL 3: see verify.sh or README.pdf.
# Run it from anywhere: powershell -ExecutionPolicy Bypass -File verify\\verify.ps1
$root = Split-Path -Parent $PSScriptRoot
$pass = 0
$fail = 0
foreach ($line in [System.IO.File]::ReadAllLines((Join-Path $root 'MANIFEST.sha256'), [System.Text.Encoding]::UTF8)) {
  if ($line -eq '') { continue }
  $want = $line.Substring(0, 64)
  $file = $line.Substring(66)
  $path = Join-Path $root ($file -replace '/', '\\')
  $got = ''
  if (Test-Path -LiteralPath $path) { $got = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLower() }
  if ($got -eq $want) { Write-Output "PASS  $file"; $pass++ } else { Write-Output "FAIL  $file"; $fail++ }
}
Write-Output "SIGNATURES  NOT CHECKED (use OpenSSL 3, see verify.sh)"
Write-Output "TOTAL  $pass passed, $fail failed"
if ($fail -eq 0 -and $pass -gt 0) { exit 0 } else { exit 1 }
`;

/** Writes both verifiers into a staged disc's `verify/`. */
export async function writeVerifiers(staged: string): Promise<void> {
  await mkdir(join(staged, 'verify'), { recursive: true });
  await writeFile(join(staged, 'verify', 'verify.sh'), VERIFY_SH);
  await chmod(join(staged, 'verify', 'verify.sh'), 0o755);
  // CRLF: Notepad and older PowerShell hosts read it as written.
  await writeFile(join(staged, 'verify', 'verify.ps1'), VERIFY_PS1.replace(/\n/g, '\r\n'));
}
