import { Panel } from '../components/Panel';
import { SupervisorNotice } from '../components/SupervisorNotice';
import { SupervisorSessionPanel } from '../components/SupervisorSessionPanel';
import { useApiQuery } from '../hooks/useApiQuery';
import { useStationInfo } from '../state/StationInfoContext';
import { AuditLog } from './settings/AuditLog';
import { MqttPanel } from './settings/MqttPanel';
import { OpcuaPanel } from './settings/OpcuaPanel';
import { StationLogPanel } from './settings/StationLogPanel';
import { OperatorPicker } from './settings/OperatorPicker';
import { RuntimeInfo } from './settings/RuntimeInfo';
import { StationSettingsForm } from './settings/StationSettingsForm';
import { UsersPanel } from './settings/UsersPanel';

/** Station settings, runtime, people and the audit log. */
export function SettingsScreen() {
  const { info, refresh: refreshInfo } = useStationInfo();
  const settings = useApiQuery((client) => client['settings.get']({}), []);
  const users = useApiQuery((client) => client['users.list']({}), []);

  return (
    <div className="screen screen--settings">
      <SupervisorSessionPanel />
      <Panel title="Operator">
        <OperatorPicker users={users.data ?? []} />
      </Panel>
      <Panel title="Station settings" errorsBelow>
        <SupervisorNotice what="change settings" />
        <StationSettingsForm
          settings={settings.data}
          onSaved={(saved) => {
            settings.setData(saved);
            // The header shows the station name.
            void refreshInfo();
          }}
        />
      </Panel>
      <Panel title="Results to the line (MQTT)">
        <MqttPanel settings={settings.data} onSaved={(saved) => settings.setData(saved)} />
      </Panel>
      <Panel title="PLC trigger (OPC UA)" testId="opcua-panel">
        <OpcuaPanel settings={settings.data} onSaved={(saved) => settings.setData(saved)} />
      </Panel>
      <Panel title="Runtime">
        <RuntimeInfo info={info} />
      </Panel>
      <Panel title="People" testId="people-panel">
        <SupervisorNotice what="add people or set PINs" />
        <UsersPanel users={users.data ?? []} onChanged={() => void users.reload()} />
      </Panel>
      <Panel title="Audit log">
        <AuditLog />
      </Panel>
      <Panel title="Station log">
        <StationLogPanel />
      </Panel>
    </div>
  );
}
