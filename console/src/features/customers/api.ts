/**
 * Customers through TanStack Query: the list (search and paging), a customer's records (the
 * customer page: cases, leads, sales and units; the server logs the view), and registering one.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request, type Customer, type CreateCustomerRequest, type Filters, type PageParams } from '../../api.js';
import type { ListCustomersQuery } from '../../../../api/customers/schemas.js';
import type { CustomerRecords, CustomerUnit } from '../../../../api/customers/records-schemas.js';

export type { Customer, CustomerRecords, CustomerUnit };
export type CustomerListParams = PageParams & Filters<ListCustomersQuery>;

export const customerKeys = {
  all: ['customers'] as const,
  list: (p: CustomerListParams) => ['customers', 'list', p] as const,
  records: (id: string) => ['customers', 'records', id] as const,
  phoneMatches: (digits: string) => ['customers', 'phone-matches', digits] as const,
};

export function useCustomers(params: CustomerListParams) {
  return useQuery({
    queryKey: customerKeys.list(params),
    queryFn: ({ signal }) => api.customers(params, signal),
    placeholderData: keepPreviousData,
  });
}

/** Records of each kind shown on the customer page. */
export const RECORDS_LIMIT = 20;

export function useCustomerRecords(id: string) {
  return useQuery({
    queryKey: customerKeys.records(id),
    queryFn: ({ signal }) =>
      request<CustomerRecords>('GET', `/api/customers/${encodeURIComponent(id)}/records`, { query: { limit: RECORDS_LIMIT }, signal }),
    enabled: id.length > 0,
  });
}

/** Registered customers whose phone contains these digits (at least 4), for the customer picker. */
export function usePhoneMatchesQuery(digits: string, enabled: boolean) {
  return useQuery({
    queryKey: customerKeys.phoneMatches(digits),
    queryFn: ({ signal }) => api.customers({ q: digits, page: 1, pageSize: 5 }, signal).then((p) => p.items),
    enabled: enabled && digits.length >= 4,
    staleTime: 30_000,
  });
}

export function useCreateCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCustomerRequest) => api.createCustomer(body),
    onSuccess: () => client.invalidateQueries({ queryKey: customerKeys.all }),
  });
}
