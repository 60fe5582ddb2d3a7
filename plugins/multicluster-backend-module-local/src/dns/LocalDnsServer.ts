/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import dnsPacket from 'dns-packet';
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { chooseAnswer, clientGeography, type GeographyMap } from './answer';
import type { LocalDnsZones } from './LocalDnsProvider';

const AUTHORITATIVE = 1 << 10;
const RECURSION_DESIRED = 1 << 8;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
/** Largest TCP message read; DNS messages are at most 65535 bytes. */
const MAX_TCP_BUFFER = 65537;

/** Options of {@link LocalDnsServer}. @public */
export interface LocalDnsServerOptions {
  zones: LocalDnsZones;
  /** Zone names served (authoritative); other names are refused. */
  zoneNames: string[];
  geographies: GeographyMap;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger?: LoggerService;
}

/**
 * A small authoritative DNS server (UDP and TCP, on `dns-packet`) answering
 * A, AAAA, CNAME and ANY queries for the names the local DNS provider
 * published. The client's geography comes from its EDNS Client Subnet
 * option, else its source address, through `clientGeographies`.
 * @public
 */
export class LocalDnsServer {
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** The bound port (after `start`). */
  port = 0;

  constructor(private readonly options: LocalDnsServerOptions) {}

  async start(): Promise<void> {
    const { host } = this.options;
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    udp.on('message', (msg, rinfo) => {
      const reply = this.respond(msg, rinfo.address);
      if (reply) udp.send(reply, rinfo.port, rinfo.address);
    });
    udp.on('error', error =>
      this.options.logger?.warn(`Local DNS server (UDP): ${error.message}`),
    );
    udp.bind(this.options.port, host);
    await once(udp, 'listening');
    this.udp = udp;
    this.port = udp.address().port;
    // TCP on the same port (dig +tcp, long answers).
    const tcp = net.createServer(socket => this.serveTcp(socket));
    tcp.listen(this.port, host);
    await once(tcp, 'listening');
    this.tcp = tcp;
  }

  async stop(): Promise<void> {
    this.udp?.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(resolve =>
      this.tcp ? this.tcp.close(() => resolve()) : resolve(),
    );
  }

  private serveTcp(socket: net.Socket) {
    this.sockets.add(socket);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    socket.on('data', chunk => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_TCP_BUFFER) {
        socket.destroy();
        return;
      }
      while (buffer.length >= 2) {
        const len = buffer.readUInt16BE(0);
        if (buffer.length < len + 2) break;
        const reply = this.respond(
          buffer.subarray(2, len + 2),
          socket.remoteAddress,
        );
        buffer = buffer.subarray(len + 2);
        if (reply) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([head, reply]));
        }
      }
    });
  }

  /** The encoded reply to one query, or undefined for garbage. */
  respond(message: Buffer, source: string | undefined): Buffer | undefined {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    if (query.type !== 'query') return undefined;
    const rd = (query.flags ?? 0) & RECURSION_DESIRED;
    const opt = (query.additionals ?? []).find(r => r.type === 'OPT') as
      | dnsPacket.OptAnswer
      | undefined;
    const ecs = opt?.options?.find(o => o.code === 8) as
      | { code: 8; family?: number; sourcePrefixLength?: number; ip?: string }
      | undefined;
    const reply = (rcode: number, answers: dnsPacket.Answer[] = []) =>
      dnsPacket.encode({
        type: 'response',
        id: query.id,
        flags: AUTHORITATIVE | rd | rcode,
        questions: query.questions,
        answers,
        ...(opt
          ? {
              additionals: [
                {
                  type: 'OPT',
                  name: '.',
                  udpPayloadSize: 1232,
                  flags: 0,
                  // RFC 7871: echo the subnet, scoped to what was used.
                  options: ecs
                    ? [
                        {
                          code: 8,
                          family: ecs.family,
                          sourcePrefixLength: ecs.sourcePrefixLength,
                          scopePrefixLength: ecs.sourcePrefixLength,
                          ip: ecs.ip,
                        } as any,
                      ]
                    : [],
                } as dnsPacket.OptAnswer,
              ],
            }
          : {}),
      });
    const question = query.questions?.[0];
    if (!question || (query.questions?.length ?? 0) > 1)
      return reply(RCODE.FORMERR);
    const name = question.name.toLowerCase().replace(/\.$/, '');
    const zone = this.options.zoneNames
      .filter(z => name === z || name.endsWith(`.${z}`))
      .sort((x, y) => y.length - x.length)[0];
    if (!zone) return reply(RCODE.REFUSED);
    const held = this.options.zones.lookup(zone, name);
    if (!held) return reply(name === zone ? RCODE.NOERROR : RCODE.NXDOMAIN);
    const geography = clientGeography(
      this.options.geographies,
      ecs?.ip ?? source,
    );
    const chosen = chooseAnswer(held.recordSet, geography);
    if (!chosen) return reply(RCODE.NOERROR);
    const ttl = held.recordSet.ttl;
    const qtype: string = question.type;
    if (chosen.type === 'CNAME')
      return reply(RCODE.NOERROR, [
        { type: 'CNAME', name: question.name, ttl, data: chosen.values[0] },
      ]);
    if (qtype !== chosen.type && qtype !== 'ANY') return reply(RCODE.NOERROR);
    return reply(
      RCODE.NOERROR,
      chosen.values.map(value => ({
        type: chosen.type as 'A' | 'AAAA',
        name: question.name,
        ttl,
        data: value,
      })),
    );
  }
}
