import { AwsServiceError } from '../../edge/aws-error';
import { MalformedXmlError, parseXml, type ParsedXml } from '../../edge/protocols/xml';

/** S3's answer to a request document it cannot read. */
export function malformedXml(): AwsServiceError {
  return new AwsServiceError(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
}

/**
 * Parses a request body (DeleteObjects, CompleteMultipartUpload, PutBucketVersioning); `lists` names the elements that
 * repeat, e.g. `Delete.Object`.
 * @throws AwsServiceError MalformedXML when the body is not well-formed XML.
 */
export function readXmlBody(body: Buffer, lists: readonly string[] = []): ParsedXml {
  try {
    return parseXml(body.toString('utf8'), lists);
  } catch (error) {
    if (error instanceof MalformedXmlError) throw malformedXml();
    throw error;
  }
}
