import type { SandboxRecord } from '../../../sandbox/store.js';
import { round2 } from '../../../sandbox/seed-plan.js';
import type { EaRecords } from '../context.js';
import type { EaResource } from './types.js';

/**
 * Articles: `Number` is unique (4000), `CodingId`/`UnitId`/label ids must exist (3000), Net and Gross price
 * must agree with the coding's VAT rate (2000; one of them alone is completed from the other).
 * `StockBalanceAvailable` = `StockBalance` - `StockBalanceReserved`; reservations are read-only.
 */
export const articles: EaResource = {
  name: 'articles',
  title: 'Article',
  list: true,
  get: true,
  create: (ctx, body) => buildArticle(ctx, body),
  update: (ctx, body, existing) => buildArticle(ctx, body, existing),
};

export const articleLabels: EaResource = {
  name: 'articlelabels',
  title: 'ArticleLabel',
  list: true,
  get: true,
  create: (ctx, body) => ({ ...body, Id: ctx.random.uuid() }),
  update: (_ctx, body, existing) => ({ ...body, Id: existing?.Id }),
  delete: (ctx, record) => {
    for (const article of ctx.store.list('articles')) {
      const labels = (article.ArticleLabels as SandboxRecord[] | undefined) ?? [];
      if (labels.some((label) => label.Id === record.Id)) ctx.store.put('articles', { ...article, ArticleLabels: labels.filter((label) => label.Id !== record.Id) });
    }
    return undefined;
  },
};

function buildArticle(ctx: EaRecords, body: SandboxRecord, existing?: SandboxRecord) {
  const coding = ctx.find('articleaccountcodings', body.CodingId);
  if (!coding) return { error: ctx.errors.missingReference('CodingId', body.CodingId, 'ArticleAccountCoding') };
  const unit = ctx.find('units', body.UnitId);
  if (!unit) return { error: ctx.errors.missingReference('UnitId', body.UnitId, 'Unit') };
  const taken = ctx.store.list('articles').find((a) => String(a.Number).toLowerCase() === String(body.Number).toLowerCase() && a.Id !== existing?.Id);
  if (taken) return { error: ctx.errors.conflict('Number', body.Number) };

  const labels: SandboxRecord[] = [];
  for (const [index, given] of ((body.ArticleLabels as SandboxRecord[] | null | undefined) ?? []).entries()) {
    const label = ctx.find('articlelabels', given.Id) ?? ctx.store.list('articlelabels').find((l) => given.Id == null && l.Name === given.Name);
    if (!label) return { error: ctx.errors.missingReference(`ArticleLabels[${index}].Id`, given.Id ?? given.Name, 'ArticleLabel') };
    labels.push({ Id: label.Id, Name: label.Name, Description: label.Description ?? null });
  }

  const rate = Number(coding.VatRatePercent ?? 0);
  let net = body.NetPrice as number | null | undefined;
  let gross = body.GrossPrice as number | null | undefined;
  if (net != null && gross != null && Math.abs(round2(net * (1 + rate)) - gross) > 0.01) {
    return {
      error: ctx.errors.validation([
        { field: 'GrossPrice', keyword: 'consistency', message: `GrossPrice ${gross} does not match NetPrice ${net} with the VAT rate ${rate * 100}% of coding ${String(coding.Name)}.` },
      ]),
    };
  }
  if (net != null && gross == null) gross = round2(net * (1 + rate));
  if (gross != null && net == null) net = round2(gross / (1 + rate));

  const now = ctx.now();
  const isService = coding.Type === 'Service';
  const balance = typeof body.StockBalance === 'number' ? body.StockBalance : ((existing?.StockBalance as number | undefined) ?? 0);
  const reserved = (existing?.StockBalanceReserved as number | undefined) ?? 0;
  const purchase = (body.PurchasePrice as number | null | undefined) ?? 0;
  const stockChanged = existing !== undefined && typeof body.StockBalance === 'number' && body.StockBalance !== existing.StockBalance;
  return {
    Id: existing?.Id ?? ctx.random.uuid(),
    IsActive: body.IsActive,
    Number: body.Number,
    Name: body.Name,
    NameEnglish: body.NameEnglish ?? null,
    NetPrice: net ?? 0,
    GrossPrice: gross ?? 0,
    CodingId: coding.Id,
    CodingName: coding.Name,
    UnitId: unit.Id,
    UnitName: unit.Name,
    UnitAbbreviation: unit.Abbreviation,
    StockBalance: balance,
    StockBalanceManuallyChangedUtc: stockChanged ? now : (existing?.StockBalanceManuallyChangedUtc ?? null),
    StockBalanceReserved: reserved,
    StockBalanceAvailable: balance - reserved,
    CreatedUtc: existing?.CreatedUtc ?? now,
    ChangedUtc: now,
    HouseWorkType: body.HouseWorkType ?? null,
    PurchasePrice: purchase,
    PurchasePriceManuallyChangedUtc: existing?.PurchasePriceManuallyChangedUtc ?? null,
    SendToWebshop: body.SendToWebshop ?? true,
    UsesMoss: body.UsesMoss ?? false,
    ArticleLabels: labels,
    IsStock: isService ? false : (body.IsStock ?? false),
    StockLocationReference: body.StockLocationReference ?? null,
    FreightCosts: body.FreightCosts ?? 0,
    FreightCostsManuallyChangedUtc: existing?.FreightCostsManuallyChangedUtc ?? null,
    UpdateStockPrices: body.UpdateStockPrices ?? false,
    Barcodes: body.Barcodes ?? [],
    StockValue: round2(balance * purchase),
    GreenTechnologyType: body.GreenTechnologyType ?? 0,
  } satisfies SandboxRecord;
}
