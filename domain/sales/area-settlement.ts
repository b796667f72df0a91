import { roundFen, toCentiSquareMetres, toFen } from './money.js';

/**
 * Area difference settlement at handover (面积补差), as the standard commodity-housing sale
 * contract (商品房买卖合同示范文本) settles it when the measured area differs from the contracted one:
 *
 * - Within ±3 % of the contracted area (3 % included) the difference is settled at the contract's
 *   price per square metre, both ways.
 * - Above +3 %: the buyer pays for the first 3 %; the area beyond it is the developer's cost (the
 *   buyer owns it without paying).
 * - Below −3 %: the developer refunds the first 3 % at the price, and the shortfall beyond 3 % at
 *   twice the price.
 *
 * (Beyond 3 % the buyer may also withdraw from the contract; that is a cancellation, decided
 * elsewhere.) The price per square metre is the contract price over the contracted area, kept as a
 * fraction so nothing is rounded until the final amount.
 */
export interface AreaSettlement {
  /** Positive: the buyer owes this much; negative: the developer refunds it. In fen. */
  amountFen: number;
  /** (measured − contracted) / contracted, as a percentage rounded to 2 decimals for display. */
  differencePct: number;
  /** True when the difference exceeds ±3 %: the buyer may withdraw instead. */
  beyondTolerance: boolean;
}

const TOLERANCE_PER_MILLE = 30n; // 3 %

export function settleAreaDifference(o: { contractPrice: string; contractArea: string; measuredArea: string }): AreaSettlement {
  const price = BigInt(toFen(o.contractPrice));
  const contracted = BigInt(toCentiSquareMetres(o.contractArea));
  const measured = BigInt(toCentiSquareMetres(o.measuredArea));
  const diff = measured - contracted;
  // Area within tolerance, in hundredths of m²: |diff| capped at 3 % of the contracted area (as a fraction ×1000).
  const limitTimes1000 = contracted * TOLERANCE_PER_MILLE; // 3 % of contracted, scaled by 1000
  const diffTimes1000 = diff * 1000n;
  const absTimes1000 = diffTimes1000 < 0n ? -diffTimes1000 : diffTimes1000;
  const withinTimes1000 = absTimes1000 < limitTimes1000 ? absTimes1000 : limitTimes1000;
  const beyondTimes1000 = absTimes1000 - withinTimes1000;
  // amount = price / contracted × area; with areas ×1000 the denominator is contracted × 1000.
  const denominator = contracted * 1000n;
  let numerator: bigint;
  if (diff >= 0n) numerator = price * withinTimes1000; // the excess beyond 3 % is the developer's
  else numerator = -(price * withinTimes1000 + 2n * price * beyondTimes1000);
  return {
    amountFen: roundFen(numerator, denominator),
    differencePct: Math.round((Number(diff) / Number(contracted)) * 10_000) / 100,
    beyondTolerance: beyondTimes1000 > 0n,
  };
}
