import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  type SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const GITHUB = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * Guest sign-in for local use; in production (`auth.environment: production`,
 * app-config.production.yaml) GitHub, the provider the example backend
 * installs there. The backend never offers guest in production.
 */
function ExampleSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const production =
    config.getOptionalString('auth.environment') === 'production';
  return (
    <SignInPage {...props} providers={production ? [GITHUB] : ['guest']} />
  );
}

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => <ExampleSignInPage {...props} />,
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
