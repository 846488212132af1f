/** asl-validator ships no types; this is the part of its API the tests call. */
declare module 'asl-validator' {
  interface ValidationOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface ValidationError {
    'Error code': string;
    Message: string;
  }
  function aslValidator(definition: unknown, options?: ValidationOptions): { isValid: boolean; errors: ValidationError[] };
  export = aslValidator;
}
