/** The error a call threw, or a failure if it did not throw (for asserting on what a failure carries). */
export async function thrown(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}
