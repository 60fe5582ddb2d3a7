/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A failure to inject: which requests, and the AWS error answer. */
export interface InjectedFault {
  /** Matches on the request body, e.g. `Action=CreateDBInstance`. */
  match: (request: { method?: string; url?: string; body: string }) => boolean;
  status: number;
  body: string;
  contentType: string;
}

/** RDS's query-protocol error answer. */
export function rdsError(
  code: string,
  message: string,
): Omit<InjectedFault, 'match'> {
  return {
    status: 400,
    contentType: 'text/xml',
    body:
      `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
  };
}

/**
 * An HTTP proxy in front of moto_server that answers matching requests with
 * an injected AWS error and forwards the rest. Faults can be changed between
 * requests; hits are counted.
 */
export async function startFaultProxy(target: string): Promise<{
  endpoint: string;
  faults: InjectedFault[];
  hits: () => number;
  close(): Promise<void>;
}> {
  const faults: InjectedFault[] = [];
  let hits = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault = faults.find(f =>
        f.match({
          method: req.method,
          url: req.url,
          body: body.toString('utf8'),
        }),
      );
      if (fault) {
        hits++;
        res.writeHead(fault.status, { 'content-type': fault.contentType });
        res.end(fault.body);
        return;
      }
      const proxied = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        upstreamRes => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      proxied.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      proxied.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    hits: () => hits,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
