import type { ModelSummary } from '../../shared/api/apiRecords';
import { Panel } from '../components/Panel';
import { SupervisorNotice } from '../components/SupervisorNotice';
import { SupervisorSessionPanel } from '../components/SupervisorSessionPanel';
import { useApiQuery } from '../hooks/useApiQuery';
import { useProducts } from '../hooks/useProducts';
import { useModelValidations } from '../state/ModelValidationsContext';
import { useStationInfo } from '../state/StationInfoContext';
import { CreateProductForm } from './retrain/CreateProductForm';
import { ImportImagesPanel } from './retrain/ImportImagesPanel';
import { ModelList } from './retrain/ModelList';
import { ProductCoverage } from './retrain/ProductCoverage';
import { ThresholdTuner } from './retrain/ThresholdTuner';
import { TrainingPanel } from './retrain/TrainingPanel';

/** The supervisor's screen: products and their good images, training, models and thresholds. */
export function RetrainScreen() {
  const products = useProducts();
  const models = useApiQuery((client) => client['models.list']({}), []);
  const { refresh: refreshInfo } = useStationInfo();
  // The latest validation of each model on labelled defects, for the threshold chart (kept while screens change).
  const { validations } = useModelValidations();

  const onModelChanged = () => {
    void models.reload();
    void products.reload();
    void refreshInfo();
  };
  const replaceModel = (updated: ModelSummary) => {
    models.setData((current) => current?.map((m) => (m.version === updated.version ? updated : m)));
  };

  return (
    <div className="screen screen--retrain">
      <SupervisorSessionPanel />
      <SupervisorNotice what="create products, import images, train, promote or change thresholds" />
      <Panel title="Products: good images and labelled defects">
        <ProductCoverage products={products.data ?? []} />
        <CreateProductForm onCreated={() => void products.reload()} />
      </Panel>
      <Panel title="Import images">
        <ImportImagesPanel products={products.data ?? []} onImported={() => void products.reload()} />
      </Panel>
      <Panel title="Training">
        <TrainingPanel products={products.data ?? []} onFinished={onModelChanged} />
      </Panel>
      <Panel title="Models">
        <ModelList models={models.data ?? []} onPromoted={onModelChanged} />
      </Panel>
      <Panel title="Thresholds" errorsBelow>
        <ThresholdTuner models={models.data ?? []} validations={validations} onUpdated={replaceModel} />
      </Panel>
    </div>
  );
}
