import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { OcrLine } from '../mapping/text';

/** The folder holding eng.traineddata.gz from @tesseract.js-data/eng. */
export interface OcrPaths { langPath: string }

/** tesseract.js (LSTM, English) reading its traineddata from the local package, never from a CDN. */
export class OcrEngine {
  private constructor(private readonly worker: Worker) {}

  /**
   * Starts tesseract's own worker thread with local language data and no cache writes.
   * @throws Error when the language data cannot be read
   */
  static async load(paths: OcrPaths): Promise<OcrEngine> {
    const worker = await createWorker('eng', OEM.LSTM_ONLY, {
      langPath: paths.langPath,
      gzip: true,
      // 'none' keeps tesseract from writing eng.traineddata into the working directory.
      cacheMethod: 'none',
      workerBlobURL: false,
      logger: () => undefined,
      errorHandler: () => undefined,
    });
    // tesseract.js defaults to one uniform block, which crawls over photos (seconds); automatic layout does not.
    await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
    return new OcrEngine(worker);
  }

  /** Reads the lines and words of an encoded image (PNG or JPEG bytes). */
  async read(image: Buffer): Promise<OcrLine[]> {
    const { data } = await this.worker.recognize(image, {}, { blocks: true, text: false, hocr: false, tsv: false });
    const lines: OcrLine[] = [];
    for (const block of data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          lines.push({ words: line.words.map((word) => ({ text: word.text, confidence: word.confidence, bbox: word.bbox })) });
        }
      }
    }
    return lines;
  }

  /** Stops tesseract's worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
