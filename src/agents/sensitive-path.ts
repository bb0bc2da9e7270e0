/**
 * Files that are never shown to a model, whatever their content: environment files, private keys,
 * keystores and credential stores. Their secret values could not be redacted reliably.
 */
const SENSITIVE_NAMES = [
  /^\.env(?:\..*)?$/i,
  /\.env$/i,
  /^\.envrc$/i,
  /\.(?:pem|key|p12|pfx|jks|keystore|kdbx|ppk|asc|gpg)$/i,
  /^id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/i,
  /^\.(?:npmrc|pypirc|netrc|git-credentials|pgpass|htpasswd)$/i,
  /^credentials(?:\.json)?$/i,
  /^(?:secrets?|credentials?)\.(?:ya?ml|json|toml)$/i,
  /^service[-_]?account.*\.json$/i,
];

/** True for a repo-relative path a model must never read. */
export function isSensitivePath(file: string): boolean {
  const name = file.split('/').pop() ?? file;
  if (file.split('/').some((part) => part === '.ssh' || part === '.aws' || part === '.gnupg')) return true;
  return SENSITIVE_NAMES.some((pattern) => pattern.test(name));
}
