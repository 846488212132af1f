/** The template uses something local mode cannot resolve (an unknown intrinsic, resource or attribute). */
export class TemplateResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateResolutionError';
  }
}
