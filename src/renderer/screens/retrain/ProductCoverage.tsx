import { Bar } from 'react-chartjs-2';
import type { ProductSummary } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';
import { retrainReason } from '../../lib/retrainNeed';

/**
 * Good images per product as horizontal bars, tail products (few images) in amber; below, each
 * product's good images and labelled defects (for validation), and whether it needs a retrain.
 */
export function ProductCoverage({ products }: { products: readonly ProductSummary[] }) {
  const data = {
    labels: products.map((p) => p.name),
    datasets: [
      {
        label: 'Good images',
        data: products.map((p) => p.goodImages),
        backgroundColor: products.map((p) => (p.tail ? CHART_COLOURS.tail : CHART_COLOURS.primary)),
      },
    ],
  };
  // One readable bar per product, however many there are.
  const height = Math.max(160, products.length * 40 + 60);
  return (
    <div>
      {products.length === 0 ? (
        <p className="muted">No products yet. Create one below.</p>
      ) : (
        <div className="chart" data-testid="product-chart" style={{ height }}>
          <Bar
            data={data}
            options={{
              indexAxis: 'y',
              maintainAspectRatio: false,
              responsive: true,
              plugins: { legend: { display: false } },
              scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
            }}
            aria-label="Good images per product"
          />
        </div>
      )}
      <p className="legend">
        <span className="swatch swatch--primary" /> covered <span className="swatch swatch--tail" /> tail (few good images)
      </p>
      <ul className="product-list" data-testid="product-list">
        {products.map((product) => {
          const retrain = retrainReason(product);
          return (
            <li
              key={product.id}
              data-testid="product-row"
              data-product={product.name}
              data-count={product.goodImages}
              data-defects={product.labelledDefects}
              data-tail={String(product.tail)}
              data-needs-retrain={String(retrain !== null)}
            >
              <strong>{product.name}</strong>
              {product.displayName && product.displayName !== product.name && <span className="muted"> {product.displayName}</span>}
              <span>{product.goodImages} good images</span>
              <span data-testid="product-defects" title="Images of defective parts, to validate models on (never trained on)">
                {product.labelledDefects} labelled defects
              </span>
              {product.tail && <span className="tag tag--tail">tail</span>}
              {retrain && (
                <span className="tag tag--retrain" data-testid="needs-retrain" title={retrain}>
                  needs retrain: {retrain}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
