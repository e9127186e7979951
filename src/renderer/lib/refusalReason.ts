/** A refusal's reason without the file's name in front, where it says the name already (the name is shown beside it). */
export function reasonWithoutFileName(fileName: string, reason: string): string {
  const prefix = `${fileName}: `;
  return reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
}
