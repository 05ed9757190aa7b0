export { default } from '@/components/auth/signed-in-layout';
