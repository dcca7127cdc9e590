/** S3 for a test file: fauxqs started in-process, and a client with the emulator options of CONTRIBUTING.md. */
import { S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';

export interface LocalS3 {
  s3: S3Client;
  stop(): Promise<void>;
}

/** Starts fauxqs on a free port of 127.0.0.1 and returns an S3 client for it (path style, checksums when required). */
export async function startS3(): Promise<LocalS3> {
  const fauxqs = await startFauxqs({ port: 0, logger: false } as Parameters<typeof startFauxqs>[0]);
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    s3,
    stop: async () => {
      s3.destroy();
      await fauxqs.stop();
    },
  };
}
