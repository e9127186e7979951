import { useState } from 'react';
import { Panel } from '../components/Panel';
import { ProductSelect } from '../components/ProductSelect';
import { RefusalPanel } from '../components/RefusalPanel';
import { ResultPanel } from '../components/ResultPanel';
import { TabBar } from '../components/TabBar';
import { useApiQuery } from '../hooks/useApiQuery';
import { useProducts } from '../hooks/useProducts';
import { useInspectionFeed } from '../state/InspectionFeedContext';
import { CameraSource } from './inspect/CameraSource';
import { FileSource } from './inspect/FileSource';
import { HotFolderSource } from './inspect/HotFolderSource';
import { RecentResults } from './inspect/RecentResults';

type SourceId = 'camera' | 'folder' | 'files';
const SOURCE_TABS = [
  { id: 'camera', label: 'Camera', testId: 'source-camera' },
  { id: 'folder', label: 'Hot folder', testId: 'source-folder' },
  { id: 'files', label: 'Files', testId: 'source-files' },
] as const;

/** Pick the product and a source; the latest result from any source fills the right-hand side. */
export function InspectScreen() {
  const products = useProducts();
  const settings = useApiQuery((client) => client['settings.get']({}), []);
  const { latest, refusal, recent } = useInspectionFeed();
  const [chosen, setProduct] = useState('');
  const [source, setSource] = useState<SourceId>('camera');

  const list = products.data ?? [];
  // The operator's choice, else the first product the model can inspect. Derived, not set in an effect:
  // an effect could overwrite a choice made between the products arriving and the effect running.
  const product = chosen || (list.find((p) => p.inActiveModel)?.name ?? '');
  const selected = list.find((p) => p.name === product && p.inActiveModel) ? product : null;
  const noneInspectable = products.data !== undefined && !list.some((p) => p.inActiveModel);

  return (
    <div className="screen screen--inspect">
      <Panel title="Inspect" className="inspect-controls">
        <ProductSelect
          products={list}
          value={product}
          onChange={setProduct}
          testId="product-select"
          label="Product"
          emptyOption={product ? undefined : 'Pick a product…'}
          requireInModel
        />
        {noneInspectable && <p className="notice">No product can be inspected yet: a supervisor has to train and promote a model.</p>}
        <TabBar tabs={SOURCE_TABS} current={source} onSelect={setSource} label="Image source" />
        {source === 'camera' && <CameraSource product={selected} settings={settings.data} onSettingsSaved={settings.setData} />}
        {source === 'folder' && <HotFolderSource product={selected} />}
        {source === 'files' && <FileSource product={selected} />}
      </Panel>
      <Panel title="Result" className="inspect-result">
        {refusal ? (
          <RefusalPanel refusal={refusal} />
        ) : latest ? (
          <ResultPanel result={latest} />
        ) : (
          <p className="muted big">No part inspected yet.</p>
        )}
        <RecentResults results={recent} />
      </Panel>
    </div>
  );
}
