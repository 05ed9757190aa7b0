import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { whenGone } from './when-gone.mjs';

const answer = () => new EventEmitter() as unknown as ServerResponse;
const connection = () => Object.assign(new EventEmitter(), { destroyed: false }) as unknown as Socket;

describe('whenGone', () => {
  it('many waiting on one answer add one close listener to it and one to its connection, and each is called once', () => {
    const response = answer();
    const socket = connection();
    const calls: number[] = [];
    for (let i = 0; i < 20; i++) whenGone(response, socket, () => calls.push(i));
    expect([response.listenerCount('close'), socket.listenerCount('close')]).toEqual([1, 1]);
    response.emit('close');
    socket.emit('close');
    expect(calls).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('the connection closing first calls those still waiting on its answers; a closed answer no longer waits on its connection', () => {
    const socket = connection();
    const [first, second] = [answer(), answer()];
    const calls: string[] = [];
    whenGone(first, socket, () => calls.push('first'));
    whenGone(second, socket, () => calls.push('second'));
    first.emit('close');
    socket.emit('close');
    second.emit('close');
    expect(calls).toEqual(['first', 'second']);
  });
});
