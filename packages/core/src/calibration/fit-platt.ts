/**
 * Fits `p = sigmoid(a · s + b)` by Newton's method on the log-loss, with Platt's (1999) smoothed
 * targets (`(N₊ + 1) / (N₊ + 2)` for relevant pairs, `1 / (N₋ + 2)` for the others) so that
 * separable data does not drive `a` to infinity, as in Lin, Lin & Weng (2007).
 */
export function fitPlatt(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
): { a: number; b: number } {
  const relevant = labels.filter((label) => label === 1).length;
  const irrelevant = labels.length - relevant;
  const high = (relevant + 1) / (relevant + 2);
  const low = 1 / (irrelevant + 2);
  const targets = labels.map((label) => (label === 1 ? high : low));
  let a = 0;
  let b = Math.log((relevant + 1) / (irrelevant + 1));
  const loss = (a: number, b: number) => {
    let total = 0;
    for (let index = 0; index < scores.length; index++) {
      const z = a * (scores[index] as number) + b;
      const target = targets[index] as number;
      // log(1 + e^z) − t·z, written to stay finite for large |z|
      total += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - target * z;
    }
    return total;
  };
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let index = 0; index < scores.length; index++) {
      const score = scores[index] as number;
      const p = 1 / (1 + Math.exp(-(a * score + b)));
      const residual = p - (targets[index] as number);
      const weight = p * (1 - p);
      ga += residual * score;
      gb += residual;
      haa += weight * score * score;
      hab += weight * score;
      hbb += weight;
    }
    const determinant = haa * hbb - hab * hab;
    if (Math.abs(ga) < 1e-9 && Math.abs(gb) < 1e-9) break;
    const stepA = (hbb * ga - hab * gb) / determinant;
    const stepB = (haa * gb - hab * ga) / determinant;
    // Backtracking keeps every step a descent step, as Newton can overshoot far from the optimum.
    let scale = 1;
    let next = loss(a - stepA, b - stepB);
    while (next > current && scale > 1e-6) {
      scale /= 2;
      next = loss(a - scale * stepA, b - scale * stepB);
    }
    a -= scale * stepA;
    b -= scale * stepB;
    if (Math.abs(current - next) < 1e-12 * Math.max(1, Math.abs(current))) break;
    current = next;
  }
  return { a, b };
}
