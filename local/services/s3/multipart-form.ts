import { AwsServiceError } from '../../edge/aws-error';

/** A multipart/form-data body: its text fields in order, and the file part (S3 requires it to be the last one). */
export interface FormUpload {
  fields: Array<[string, string]>;
  file?: { filename: string; contentType?: string; body: Buffer };
}

const malformed = (message: string) =>
  new AwsServiceError('MalformedPOSTRequest', 400, `The body of your POST request is not well-formed multipart/form-data: ${message}`);

/**
 * Parses a buffered multipart/form-data body (RFC 7578). Everything after the `file` part is ignored, as S3 does.
 * @throws AwsServiceError MalformedPOSTRequest.
 */
export function parseMultipartForm(contentType: string, body: Buffer): FormUpload {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw malformed('no boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const upload: FormUpload = { fields: [] };
  let at = body.indexOf(delimiter);
  if (at < 0) throw malformed('the boundary never occurs');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return upload;
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw malformed('a boundary is not followed by a line break');
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw malformed('a part has no header end');
    const headers = body.subarray(at + 2, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw malformed('a part is not closed by the boundary');
    const content = body.subarray(headerEnd + 4, next);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw malformed('a part has no name');
    if (name.toLowerCase() === 'file') {
      upload.file = {
        filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? '',
        contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim(),
        body: Buffer.from(content),
      };
      return upload;
    }
    upload.fields.push([name, content.toString('utf8')]);
    at = next + 2;
  }
}
