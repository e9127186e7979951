import { Bar } from 'react-chartjs-2';
import type { ProductSummary } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';

/** Good images per product as horizontal bars; tail products (few images) in amber. */
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
        {products.map((product) => (
          <li
            key={product.id}
            data-testid="product-row"
            data-product={product.name}
            data-count={product.goodImages}
            data-tail={String(product.tail)}
          >
            <strong>{product.name}</strong>
            {product.displayName && product.displayName !== product.name && <span className="muted"> {product.displayName}</span>}
            <span>{product.goodImages} good images</span>
            {product.tail && <span className="tag tag--tail">tail</span>}
            {!product.inActiveModel && <span className="tag">needs retrain</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
