/** A work order's photo thumbnail, fetched with the session's token and shown from a blob URL. */
import { useEffect, useState } from 'react';
import { usePhotoUrl } from '../api.js';

export function PhotoThumb({ orderId, photoKey, alt }: { orderId: string; photoKey: string; alt: string }) {
  const blob = usePhotoUrl(orderId, photoKey);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return;
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url ? <img src={url} alt={alt} width={96} height={96} /> : <span className="field-photo-placeholder" role="img" aria-label={alt} style={{ display: 'inline-block', width: 96, height: 96, background: '#f0f0f0' }} />;
}
