// Files attached to a prompt: text files go inline as fenced blocks, images as data-URL image parts.

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const TEXT_EXTENSIONS = ['md', 'markdown', 'txt', 'json', 'csv', 'tsv', 'yaml', 'yml', 'toml', 'ini', 'xml', 'html', 'css',
  'ts', 'tsx', 'js', 'jsx', 'mjs', 'py', 'rs', 'go', 'java', 'kt', 'c', 'h', 'cpp', 'hpp', 'cs', 'rb', 'php', 'sh',
  'sql', 'log'];

/** For the file picker's accept attribute. */
export const ACCEPT = ['text/*', ...IMAGE_TYPES, ...TEXT_EXTENSIONS.map((e) => `.${e}`)].join(',');

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function readAsDataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => resolve(reader.result));
    reader.addEventListener('error', () => reject(reader.error));
    reader.readAsDataURL(file);
  });
}

/**
 * Reads one picked file. @returns {Promise<{name, size, kind: 'text'|'image', text?, dataUrl?}>}
 * @throws Error with a message for the user (too large, unsupported, unreadable)
 */
export async function readAttachment(file) {
  if (file.size > MAX_FILE_BYTES) throw new Error(`"${file.name}" is too large (max 10 MB).`);
  const isImage = IMAGE_TYPES.has(file.type);
  const isText = !isImage && (file.type.startsWith('text/') || TEXT_EXTENSIONS.includes(extension(file.name))
    || file.type === 'application/json');
  if (!isImage && !isText) throw new Error(`"${file.name}" is not a supported file type (text or PNG/JPEG/GIF/WebP).`);
  try {
    return isImage
      ? { name: file.name, size: file.size, kind: 'image', dataUrl: await readAsDataUrl(file) }
      : { name: file.name, size: file.size, kind: 'text', text: await file.text() };
  } catch {
    throw new Error(`Could not read file "${file.name}".`);
  }
}

/** A fence longer than any run of backticks inside the text, so the block cannot be closed early. */
function fence(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function textBlock(attachment) {
  const f = fence(attachment.text);
  return `\n\nFile: ${attachment.name}\n${f}\n${attachment.text}\n${f}\n`;
}

/** The user message content: a string, or text + image parts when images are attached. */
export function userContent(prompt, attachments = []) {
  const text = prompt + attachments.filter((a) => a.kind === 'text').map(textBlock).join('');
  const images = attachments.filter((a) => a.kind === 'image');
  if (!images.length) return text;
  return [{ type: 'text', text }, ...images.map((a) => ({ type: 'image_url', image_url: { url: a.dataUrl } }))];
}
