/**
 * The live conformance suite: generate vectors for the capabilities, answer them on the device, judge.
 * Exactly the offline loop (`gmeval sdf vectors | answer | judge`) in one process.
 */
import { sm3 } from '../../lib/gm/index.ts';
import { answerRequest } from './answer.ts';
import { judgeResponse, type JudgeReport } from './judge.ts';
import type { SdfTransport } from './spec.ts';
import { generateVectors, type Kind, type Settings, type VectorRequest, type VectorResponse } from './vectors.ts';

export interface SuiteOptions { capabilities?: Kind[]; pin: string; settings?: Partial<Settings>; onProgress?: (line: string) => void }
export interface SuiteRun extends JudgeReport { request: VectorRequest; response: VectorResponse; ms: number }

export function requestDigest(req: VectorRequest | string): string {
  return sm3(Buffer.from(typeof req === 'string' ? req : serializeRequest(req), 'utf8')).toString('hex');
}

export function serializeRequest(req: VectorRequest): string {
  return JSON.stringify(req, null, 2) + '\n';
}

export async function runSuite(t: SdfTransport, o: SuiteOptions): Promise<SuiteRun> {
  const started = Date.now();
  const request = generateVectors({ capabilities: o.capabilities, edition: t.edition, settings: o.settings });
  const response = await answerRequest(t, request, { pin: o.pin, requestSm3: requestDigest(request), onProgress: o.onProgress });
  return { ...judgeResponse(request, response), request, response, ms: Date.now() - started };
}
