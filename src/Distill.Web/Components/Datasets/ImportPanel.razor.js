// The file goes straight from the browser to POST /api/v1/uploads: a dataset can be a gigabyte, far too much
// for the SignalR circuit. XMLHttpRequest rather than fetch, because only it reports upload progress.

export function chosen(input) {
  const file = input.files && input.files[0];
  return file ? { name: file.name, size: file.size } : null;
}

export function upload(input, url, progress) {
  const file = input.files && input.files[0];
  if (!file) {
    return Promise.resolve({ status: 0, body: null, error: "Choose a file first." });
  }

  return new Promise(resolve => {
    const xhr = new XMLHttpRequest();
    let last = 0;
    xhr.upload.onprogress = e => {
      // A few updates a second are plenty; one per chunk would flood the circuit.
      const now = Date.now();
      if (e.lengthComputable && (now - last > 250 || e.loaded === e.total)) {
        last = now;
        progress.invokeMethodAsync("Progress", e.loaded, e.total);
      }
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText, error: null });
    xhr.onerror = () => resolve({ status: 0, body: null, error: "The upload broke off; check the connection and try again." });
    xhr.open("POST", url + encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.send(file);
  });
}
