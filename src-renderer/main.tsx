import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createStationClient } from './api/connect';
import { Root } from './app/Root';
import { initI18n } from './i18n';
import './styles.css';

initI18n();
const client = createStationClient();
const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <Root client={client} />
  </StrictMode>,
);
