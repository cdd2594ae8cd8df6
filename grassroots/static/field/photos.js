/* Photos: compressed on the phone with a canvas to the server's limits
   (longest edge and bytes), stepping JPEG quality down until it fits. */
(function () {
  "use strict";

  /* Decoded without a blob: URL (the CSP allows images from 'self' and data:). */
  async function loadImage(file) {
    try {
      const bitmap = await createImageBitmap(file);
      return { source: bitmap, width: bitmap.width, height: bitmap.height };
    } catch (e) {
      throw new Error("无法读取这张照片,请重新拍摄。");
    }
  }

  function toBlob(canvas, quality) {
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  }

  function blobToBase64(blob) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  function position(allowed) {
    if (!allowed || !navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (pos) => resolve({ lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)) }),
        () => resolve(null),
        { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 },
      );
    });
  }

  /* One PHOTO of the contract from a picked file. */
  async function compress(file, options, withPosition) {
    const maxEdge = options.photo_max_edge || 1600;
    const maxBytes = options.photo_max_bytes || 400000;
    const img = await loadImage(file);
    const scale = Math.min(1, maxEdge / Math.max(img.width, img.height));
    let width = Math.max(1, Math.round(img.width * scale));
    let height = Math.max(1, Math.round(img.height * scale));
    const canvas = document.createElement("canvas");
    let blob = null;
    for (let attempt = 0; attempt < 4 && !blob; attempt += 1) {
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(img.source, 0, 0, width, height);
      for (let quality = 0.85; quality >= 0.35; quality -= 0.1) {
        const candidate = await toBlob(canvas, quality);
        if (candidate && candidate.size <= maxBytes) {
          blob = candidate;
          break;
        }
      }
      width = Math.max(1, Math.round(width * 0.75));
      height = Math.max(1, Math.round(height * 0.75));
    }
    if (img.source.close) img.source.close();
    if (!blob) throw new Error("照片压缩后仍然过大,请靠近一些重新拍摄。");
    const taken = file.lastModified ? new Date(file.lastModified) : new Date();
    const pos = await position(withPosition);
    return {
      data: await blobToBase64(blob),
      taken_at: taken.toISOString(),
      lat: pos ? pos.lat : null,
      lng: pos ? pos.lng : null,
    };
  }

  window.FieldPhotos = { compress };
})();
