import { api, ApiError } from '../api';
import { h, replaceChildren } from '../dom';
import { refusalReason, SNIFF_BYTES, SNIFFED_TYPES, sniffImageType, formatBytes } from '../file-check';
import { hashLink, type Page } from '../router';
import { isAdmin } from '../session';

interface UploadConfig {
  maxUploadBytes: number;
  contentTypes: string[];
}

interface PresignedUpload {
  method: 'POST';
  url: string;
  fields: Record<string, string>;
  key: string;
  imageId: string;
}

interface ImageStatus {
  status: string;
  executionName: string | null;
  error: { name?: string; cause?: string } | null;
}

const PARALLEL_UPLOADS = 3;
const POLL_MS = 1500;
const POLL_GIVE_UP_MS = 10 * 60 * 1000;

/**
 * POSTs the file to the presigned POST's URL as a form (the signed fields first, the file last, as S3 requires), with
 * XMLHttpRequest because fetch reports no upload progress.
 */
function postWithProgress(upload: PresignedUpload, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', upload.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () =>
      request.status >= 200 && request.status < 300 ? resolve() : reject(new Error(`the storage answered HTTP ${request.status}`)),
    );
    request.addEventListener('error', () => reject(new Error('the storage could not be reached')));
    request.send(form);
  });
}

/** Upload: pick or drop several images; each is checked by its bytes, then PUT straight to the bucket with a progress bar. */
export const uploadPage: Page = (container) => {
  let stopped = false;
  const timers = new Set<number>();
  const input = h('input', { type: 'file', multiple: true, accept: 'image/*', id: 'file-input', class: 'visually-hidden', tabindex: '-1' });
  const list = h('ul', { class: 'upload-list', 'aria-live': 'polite' });
  const chooseButton = h('button', { type: 'button', class: 'primary', on: { click: () => input.click() } }, 'Choose images');
  const limitsNote = h('p', { class: 'muted' }, 'Loading limits…');
  const dropZone = h(
    'div',
    { class: 'drop-zone', 'data-testid': 'drop-zone' },
    h('p', { class: 'drop-title' }, 'Drop images here'),
    h('p', { class: 'muted' }, 'or'),
    chooseButton,
    limitsNote,
  );
  replaceChildren(
    container,
    h('h1', {}, 'Upload'),
    h(
      'p',
      { class: 'lead' },
      'Images go straight to the uploads bucket with a presigned POST, into your own folder; each upload starts one pipeline run.',
    ),
    dropZone,
    input,
    list,
  );

  let config: UploadConfig | undefined;
  const configReady = api<UploadConfig>('/config').then((loaded) => {
    config = loaded;
    const names = loaded.contentTypes
      .map((type) => SNIFFED_TYPES[type])
      .filter(Boolean)
      .join(', ');
    limitsNote.textContent = `${names} · up to ${formatBytes(loaded.maxUploadBytes)} each`;
    return loaded;
  });
  configReady.catch((error: Error) => {
    limitsNote.textContent = `Could not load the upload limits: ${error.message}`;
  });

  const queue: Array<() => Promise<void>> = [];
  let active = 0;
  const pump = (): void => {
    while (active < PARALLEL_UPLOADS && queue.length > 0) {
      const job = queue.shift() as () => Promise<void>;
      active += 1;
      void job().finally(() => {
        active -= 1;
        pump();
      });
    }
  };

  const addFiles = (files: FileList | File[]): void => {
    for (const file of Array.from(files)) {
      const progress = h('progress', { max: '100', value: '0', 'aria-label': `Upload progress of ${file.name}` });
      const status = h('span', { class: 'upload-status' }, 'Checking…');
      const links = h('span', { class: 'upload-links' });
      const row = h(
        'li',
        { class: 'upload-row', 'data-state': 'checking' },
        h('span', { class: 'upload-name' }, file.name),
        h('span', { class: 'muted' }, formatBytes(file.size)),
        progress,
        status,
        links,
      );
      row.dataset.fileName = file.name;
      list.prepend(row);
      const setState = (state: string, text: string): void => {
        row.dataset.state = state;
        status.textContent = text;
      };
      queue.push(async () => {
        try {
          const limits = config ?? (await configReady);
          const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
          const refusal = refusalReason(file.size, head, limits.maxUploadBytes, limits.contentTypes);
          if (refusal) {
            progress.remove();
            setState('refused', `Refused: ${refusal}`);
            return;
          }
          setState('uploading', 'Uploading…');
          const upload = await api<PresignedUpload>('/uploads', {
            method: 'POST',
            body: { fileName: file.name, contentType: sniffImageType(head), size: file.size },
          });
          await postWithProgress(upload, file, (fraction) => {
            progress.value = Math.round(fraction * 100);
          });
          progress.value = 100;
          setState('processing', 'Uploaded · processing…');
          await follow(upload.imageId, setState, links);
        } catch (error) {
          const message = error instanceof ApiError ? error.message : (error as Error).message;
          setState('error', `Failed: ${message}`);
        }
      });
    }
    pump();
  };

  const follow = async (imageId: string, setState: (state: string, text: string) => void, links: HTMLElement): Promise<void> => {
    const started = Date.now();
    while (!stopped && Date.now() - started < POLL_GIVE_UP_MS) {
      await new Promise<void>((resolve) => {
        const timer = window.setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, POLL_MS);
        timers.add(timer);
      });
      const image = await api<ImageStatus>(`/images/${imageId}/status`);
      if (image.status === 'SUCCEEDED' || image.status === 'FAILED' || image.status === 'QUARANTINED' || image.status === 'REJECTED') {
        const failed = image.status === 'FAILED';
        // A quarantined image waits for an administrator, maybe for days: the upload is done, the image held for review.
        const held = image.status === 'QUARANTINED' || image.status === 'REJECTED';
        setState(
          failed ? 'failed' : held ? 'held' : 'succeeded',
          failed ? `Failed: ${image.error?.name ?? 'error'}` : held ? 'Held for review' : 'Done',
        );
        replaceChildren(
          links,
          h('a', { href: hashLink(['images', imageId]) }, 'Image'),
          image.executionName && isAdmin() ? h('a', { href: hashLink(['runs', image.executionName]) }, 'Run') : null,
        );
        return;
      }
    }
    if (!stopped) setState('processing', 'Still processing; see Runs.');
  };

  input.addEventListener('change', () => {
    if (input.files) addFiles(input.files);
    input.value = '';
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    if (event.dataTransfer?.files) addFiles(event.dataTransfer.files);
  });

  return () => {
    stopped = true;
    for (const timer of timers) window.clearTimeout(timer);
  };
};
