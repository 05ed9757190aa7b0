// What the production tests of admission read while a server works: its gauges, and a wait on them.

/** The admission gauges, read from the server's metrics port (never admitted, like the probes). */
export async function admissionFigures(metricsPort: number): Promise<{ inFlight: number; waiting: number }> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return { inFlight: Number(/^portal_requests_in_flight (\d+)$/m.exec(text)?.[1]), waiting: Number(/^portal_requests_waiting (\d+)$/m.exec(text)?.[1]) };
}

/** Waits until `condition` holds, checking every 50 ms; fails after about 15 s. */
export async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await condition()); i++) {
    if (i > 300) throw new Error('the server never got there');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
