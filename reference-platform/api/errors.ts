import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdfError } from '../devices/sdr.ts';

/** A refusal with an HTTP status and a stable code: `{error:{code, message, requestId, deviceCode?}}`. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly deviceCode?: string) {
    super(message);
  }
}

const SDR_STATUS: Record<string, [number, string]> = {
  SDR_KEYNOTEXIST: [404, 'KEY_NOT_FOUND'],
  SDR_KEYTYPEERR: [400, 'KEY_USAGE_MISMATCH'],
  SDR_ALGNOTSUPPORT: [400, 'ALGORITHM_NOT_SUPPORTED'],
  SDR_ALGMODNOTSUPPORT: [400, 'MODE_NOT_SUPPORTED'],
  SDR_INARGERR: [400, 'INVALID_ARGUMENT'],
  SDR_MACERR: [400, 'AUTHENTICATION_FAILED'],
  SDR_SYMOPERR: [400, 'SYMMETRIC_OPERATION_FAILED'],
  SDR_ENCDATAERR: [400, 'BAD_CIPHERTEXT'],
  SDR_KEYERR: [400, 'BAD_KEY'],
  SDR_HARDFAIL: [503, 'NO_HEALTHY_DEVICE'],
  // ResourcePool.get: a device id that is not in the pool (an administrator's typo, not a platform fault)
  SDR_OPENDEVICE: [404, 'DEVICE_NOT_FOUND'],
};

/** The refusal an error stands for; undefined for an internal error. */
export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof SdfError) {
    const [status, code] = SDR_STATUS[err.sdr] ?? [500, 'DEVICE_ERROR'];
    return new ApiError(status, code, err.message, err.sdr);
  }
  if ((err as { validation?: unknown }).validation) return new ApiError(400, 'VALIDATION_FAILED', (err as Error).message);
  const sc = (err as { statusCode?: number }).statusCode;
  if (sc && sc < 500) return new ApiError(sc, 'BAD_REQUEST', (err as Error).message);
  return undefined;
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else if (err instanceof SdfError) {
    const [status, code] = SDR_STATUS[err.sdr] ?? [500, 'DEVICE_ERROR'];
    e = new ApiError(status, code, err.message, err.sdr);
  } else if ((err as { validation?: unknown }).validation) e = new ApiError(400, 'VALIDATION_FAILED', (err as Error).message);
  else if ((err as { statusCode?: number }).statusCode && (err as { statusCode: number }).statusCode < 500) e = new ApiError((err as { statusCode: number }).statusCode, 'BAD_REQUEST', (err as Error).message);
  else {
    req.log.error({ err }, 'internal error');
    e = new ApiError(500, 'INTERNAL', 'internal error');
  }
  return reply.code(e.status).send({ error: { code: e.code, message: e.message, requestId: req.id, ...(e.deviceCode ? { deviceCode: e.deviceCode } : {}) } });
}
