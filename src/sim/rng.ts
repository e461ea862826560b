// Deterministic seeded PRNG (splitmix32-style); its state is one number so clones are trivial.
export class Rng {
  constructor(public state: number) {
    this.state = state >>> 0;
  }
  /** uniform 32-bit unsigned */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** uniform in [0, 1) */
  float(): number {
    return this.next() / 4294967296;
  }
  /** uniform integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  clone(): Rng {
    return new Rng(this.state);
  }
}
