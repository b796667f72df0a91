/** Saves a fetched file (a CSV export) under `filename` through a temporary object URL. */
export async function downloadBlob(blob: Promise<Blob>, filename: string): Promise<void> {
  const url = URL.createObjectURL(await blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser reads the URL after the click returns; revoke it once the download has surely started.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
